package io.github.jrnn.nn.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a child JVM running a test class's {@code main}: the same {@code java} ({@code java.home}) and class path
 * ({@code java.class.path}) as the test, with the Vector API module, so a test can crash, kill or starve a JVM
 * that is not its own.
 */
public final class ChildJvm {

    private ChildJvm() {
    }

    /**
     * A started child running {@code mainClass} with the given JVM options (e.g. {@code -Xmx64m}) and arguments.
     * Its standard error goes to the test's; its standard output is the process's input stream.
     */
    public static Process start(List<String> jvmOptions, Class<?> mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                mainClass.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }
}
