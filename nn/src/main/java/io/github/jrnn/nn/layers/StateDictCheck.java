package io.github.jrnn.nn.layers;

import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of comparing a module's state-dict names with a state dict to load, and its report in PyTorch's
 * words ({@code Missing key(s) in state_dict: ...}) followed by the hints {@link StateDictHints} finds evidence for.
 *
 * @param ownKeys        every state-dict name of the module, in order
 * @param missingKeys    the module's names the state dict lacks
 * @param unexpectedKeys the state dict's names the module lacks
 * @param mismatches     one line per size, dtype or tied-value mismatch
 */
record StateDictCheck(List<String> ownKeys, List<String> missingKeys, List<String> unexpectedKeys,
                      List<String> mismatches) {

    /** The report lines (each starting with a newline and a tab), empty when there is nothing to report. */
    String describe(boolean strict) {
        StringBuilder sb = new StringBuilder();
        if (strict && !missingKeys.isEmpty()) {
            sb.append("\n\tMissing key(s) in state_dict: ").append(quoted(missingKeys)).append(". ");
        }
        if (strict && !unexpectedKeys.isEmpty()) {
            sb.append("\n\tUnexpected key(s) in state_dict: ").append(quoted(unexpectedKeys)).append(". ");
        }
        mismatches.forEach(m -> sb.append("\n\t").append(m));
        if (!sb.isEmpty() && strict) {
            List<String> given = new ArrayList<>(ownKeys);
            given.removeAll(missingKeys);
            given.addAll(unexpectedKeys);
            StateDictHints.of(ownKeys, given, missingKeys, unexpectedKeys)
                    .forEach(h -> sb.append("\n\thint: ").append(h));
        }
        return sb.toString();
    }

    private static String quoted(List<String> keys) {
        StringBuilder sb = new StringBuilder();
        for (String k : keys) {
            if (!sb.isEmpty()) {
                sb.append(", ");
            }
            sb.append('"').append(k).append('"');
        }
        return sb.toString();
    }
}
