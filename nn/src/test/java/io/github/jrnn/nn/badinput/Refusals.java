package io.github.jrnn.nn.badinput;

import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one assertion of the bad-input tests: refused with this exception type and a message saying this. */
final class Refusals {
    private Refusals() {
    }

    static <T extends Throwable> T assertRefused(Class<T> type, String messagePart, Executable call) {
        T e = assertThrows(type, call);
        assertTrue(e.getMessage() != null && e.getMessage().contains(messagePart),
                () -> "expected the message to contain '" + messagePart + "', got: " + e.getMessage());
        return e;
    }
}
