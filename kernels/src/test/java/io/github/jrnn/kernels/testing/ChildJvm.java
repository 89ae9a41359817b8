package io.github.jrnn.kernels.testing;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Starts child JVMs for tests: the same {@code java} ({@code java.home}), class path ({@code java.class.path}) and
 * JVM options as the test's own JVM, then the options the test adds. Inheriting the options matters because the
 * build runs tests under flags that change what the code computes: {@code -XX:MaxVectorSize=16} gives 4-lane
 * vectors, and a child started without it would compute with the machine's widest vectors and disagree with its
 * parent for reasons unrelated to the test ({@code -Djrnn.test.jvm=...} flags likewise).
 *
 * <p>Options that belong to one JVM only are not inherited (see {@link #ownedByOneJvm}). A later option wins over an
 * inherited one where the JVM lets the last occurrence win ({@code -Xmx}, {@code -D}, {@code -Xint}).
 */
public final class ChildJvm {

    private ChildJvm() {
    }

    /** The {@code java} launcher of this JVM. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** This JVM's options ({@code RuntimeMXBean.getInputArguments()}) minus those {@link #ownedByOneJvm}. */
    public static List<String> inheritedOptions() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(option -> !ownedByOneJvm(option))
                .toList();
    }

    /**
     * True for options that a second JVM must not repeat: agents ({@code -javaagent}, {@code -agentlib},
     * {@code -agentpath}: a coverage or mutation-testing agent talks to the process that started its JVM and
     * writes its own files), debuggers ({@code -Xdebug}, {@code -Xrunjdwp}: the port is taken) and flight
     * recordings started from the command line (they would write the same file).
     */
    public static boolean ownedByOneJvm(String option) {
        return option.startsWith("-javaagent:") || option.startsWith("-agentlib:")
                || option.startsWith("-agentpath:") || option.equals("-Xdebug") || option.startsWith("-Xrunjdwp")
                || option.equals("-Xnoagent") || option.startsWith("-XX:StartFlightRecording")
                || option.startsWith("-XX:FlightRecorderOptions");
    }

    /**
     * {@code java <inherited options kept by keepInherited> <options> -cp <this class path> <mainClass> <args>}.
     */
    public static List<String> command(Predicate<String> keepInherited, List<String> options, Class<?> mainClass,
                                       String... args) {
        List<String> command = new ArrayList<>();
        command.add(java());
        inheritedOptions().stream().filter(keepInherited).forEach(command::add);
        command.addAll(options);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(List.of(args));
        return command;
    }

    /** {@link #command} with every inherited option. */
    public static List<String> command(List<String> options, Class<?> mainClass, String... args) {
        return command(option -> true, options, mainClass, args);
    }

    /**
     * A started child running {@code mainClass} with all inherited options plus {@code options} (e.g.
     * {@code -Xmx64m}) and arguments. Its standard error goes to the test's; its standard output is the process's
     * input stream.
     */
    public static Process start(List<String> options, Class<?> mainClass, String... args) throws IOException {
        return new ProcessBuilder(command(options, mainClass, args)).redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }
}
