package io.github.jrnn.nn.checkpoint;

import java.nio.file.Path;

/**
 * Child-JVM entry point for tests that need a small heap: {@code open|read FILE [TENSOR]} opens (lazily) or reads
 * (eagerly) the file, then reads TENSOR if given, and prints {@code read <numel>} or {@code refused: <message>}.
 * Any other outcome (another exception, an error) fails the child with a non-zero status.
 */
public final class SafeTensorsReadMain {
    private SafeTensorsReadMain() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[1]);
        try (SafeTensorsFile f = args[0].equals("open") ? SafeTensors.open(file) : SafeTensors.read(file)) {
            long numel = args.length > 2 ? f.tensor(args[2]).numel() : f.names().size();
            System.out.println("read " + numel);
        } catch (CheckpointFormatException e) {
            System.out.println("refused: " + e.getMessage());
        }
    }
}
