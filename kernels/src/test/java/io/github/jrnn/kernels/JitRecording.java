package io.github.jrnn.kernels;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedObject;
import jdk.jfr.consumer.RecordingFile;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * What the JIT compilers did in this JVM, recorded with JFR ({@code jdk.Compilation},
 * {@code jdk.CompilationFailure}, {@code jdk.CompilerInlining} and {@code jdk.Deoptimization} events), so that a
 * test can prove code ran compiled by C2 instead of assuming that some number of calls is enough. Methods are
 * named {@code class.method(descriptor)}. A method compiled before the recording began has no event; each
 * snapshot also lists the code cache ({@code jcmd Compiler.codelist}) to tell whether such a method has C2 code.
 */
final class JitRecording implements AutoCloseable {

    /** How the Vector API's types ({@code FloatVector}, {@code VectorMask}, ...) begin in a method descriptor. */
    private static final String VECTOR_TYPES = "Ljdk/incubator/vector/";
    /**
     * C2's reason for leaving a call in place that its profile shows as rarely run (less than about once per 100
     * runs of the compiled method): such a callee is off the hot path and need not be C2 code itself (e.g. the
     * allocation of a scratch buffer that grows only in the first calls).
     */
    private static final String COLD_CALL = "low call site frequency";
    /** HotSpot's tier of fully optimised (C2) code. */
    private static final int C2_TIER = 4;
    /** The state the code list gives code that is in use (callers enter it), as opposed to not entrant. */
    private static final int IN_USE = 0;
    /** Deoptimization actions that throw the compiled code away (the others keep it for the next call). */
    private static final Set<String> DISCARDING_ACTIONS = Set.of("reinterpret", "make_not_entrant",
            "make_not_compilable");

    private final Recording recording = new Recording();

    JitRecording() {
        recording.enable("jdk.Compilation").withoutThreshold();
        recording.enable("jdk.CompilationFailure");
        recording.enable("jdk.CompilerInlining");
        recording.enable("jdk.Deoptimization").withoutStackTrace();
        recording.start();
    }

    /** Class names whose classes were loaded from the same place (jar or directory) as {@code type}. */
    static Predicate<String> loadedWith(Class<?> type) {
        URL home = type.getProtectionDomain().getCodeSource().getLocation();
        Map<String, Boolean> known = new ConcurrentHashMap<>();
        return className -> known.computeIfAbsent(className, name -> {
            try {
                CodeSource source = Class.forName(name, false, type.getClassLoader()).getProtectionDomain()
                        .getCodeSource();
                return source != null && home.equals(source.getLocation());
            } catch (ClassNotFoundException | LinkageError e) {
                return false; // hidden classes (lambdas) and classes of other loaders
            }
        });
    }

    /** Every event recorded so far: a dump of the running recording, which flushes all threads' event buffers. */
    Snapshot snapshot() throws IOException {
        Path file = Files.createTempFile("jrnn-jit", ".jfr");
        try {
            recording.dump(file);
            return new Snapshot(RecordingFile.readAllEvents(file), installedC2Code());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Override
    public void close() {
        recording.close();
    }

    /**
     * The methods with C2 code in use in the code cache now, from HotSpot's code list (the diagnostic command
     * {@code Compiler.codelist}): one line per compiled method, {@code compileId tier state class.method(descriptor)
     * [addresses]}. The list does not mark on-stack-replacement code, which the recorded events do.
     */
    static Set<String> installedC2Code() throws IOException {
        String list;
        try {
            list = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerCodelist",
                    new Object[] {null}, new String[] {String[].class.getName()});
        } catch (JMException e) {
            throw new IOException("the code list (diagnostic command Compiler.codelist) is not available", e);
        }
        Set<String> methods = new HashSet<>();
        for (String line : list.split("\n")) {
            String[] fields = line.trim().split(" ", 5);
            if (fields.length == 5 && isInteger(fields[1]) && isInteger(fields[2])
                    && Integer.parseInt(fields[1]) == C2_TIER && Integer.parseInt(fields[2]) == IN_USE) {
                methods.add(fields[3]);
            }
        }
        return methods;
    }

    private static boolean isInteger(String field) {
        return !field.isEmpty() && field.chars().allMatch(Character::isDigit);
    }

    /** The compilations, inlining decisions and deoptimizations recorded up to one point in time. */
    static final class Snapshot {

        private record Compilation(int id, String method, int tier, boolean osr) {
        }

        /** A deoptimization of compilation {@code compileId} at a trap in {@code method}. */
        private record Deoptimization(long startNanos, int compileId, String method, String reason, String action) {
        }

        private final Map<Integer, Compilation> compilations = new HashMap<>();
        /**
         * Compile id to the methods inlined into that compilation, and to the callees it declined to inline (on
         * calls it did not find cold: {@link JitRecording#COLD_CALL}).
         */
        private final Map<Integer, Set<String>> inlined = new HashMap<>();
        private final Map<Integer, Set<String>> notInlined = new HashMap<>();
        /** Compile id to its calls left as calls whose callee takes or returns a Vector API value, described. */
        private final Map<Integer, Set<String>> vectorCallsNotInlined = new HashMap<>();
        private final List<Deoptimization> deoptimizations = new ArrayList<>();
        /** The compilations that failed, and each failure's message by compile id. */
        private final Map<Integer, Compilation> failed = new HashMap<>();
        private final Map<Integer, String> failureMessages = new HashMap<>();
        /** The methods the code cache held C2 code in use for when this snapshot was taken. */
        private final Set<String> installedC2Code;

        private Snapshot(List<RecordedEvent> events, Set<String> installedC2Code) {
            this.installedC2Code = installedC2Code;
            for (RecordedEvent event : events) {
                switch (event.getEventType().getName()) {
                    case "jdk.Compilation" -> {
                        int id = event.getInt("compileId");
                        Compilation compilation = new Compilation(id, name(event.getValue("method")),
                                event.getInt("compileLevel"), event.getBoolean("isOsr"));
                        // sic: JFR's field name
                        (event.getBoolean("succeded") ? compilations : failed).put(id, compilation);
                    }
                    case "jdk.CompilationFailure" ->
                            failureMessages.put(event.getInt("compileId"), event.getString("failureMessage"));
                    case "jdk.CompilerInlining" -> {
                        RecordedObject callee = event.getValue("callee");
                        String name = callee.getString("type").replace('/', '.') + "." + callee.getString("name")
                                + callee.getString("descriptor");
                        boolean succeeded = event.getBoolean("succeeded");
                        if (succeeded || !COLD_CALL.equals(event.getString("message"))) {
                            (succeeded ? inlined : notInlined)
                                    .computeIfAbsent(event.getInt("compileId"), id -> new HashSet<>()).add(name);
                        }
                        if (!succeeded && callee.getString("descriptor").contains(VECTOR_TYPES)) {
                            vectorCallsNotInlined.computeIfAbsent(event.getInt("compileId"), id -> new TreeSet<>())
                                    .add(name((RecordedMethod) event.getValue("caller")) + " -> " + name + ": "
                                            + event.getString("message"));
                        }
                    }
                    case "jdk.Deoptimization" -> deoptimizations.add(new Deoptimization(
                            event.getStartTime().getEpochSecond() * 1_000_000_000L + event.getStartTime().getNano(),
                            event.getInt("compileId"), name(event.getValue("method")), event.getString("reason"),
                            event.getString("action")));
                    default -> throw new IllegalStateException("unexpected event " + event.getEventType().getName());
                }
            }
        }

        private static String name(RecordedMethod method) {
            return method.getType().getName() + "." + method.getName() + method.getDescriptor();
        }

        /** The class part of {@code class.method(descriptor)}. */
        private static String className(String method) {
            return method.substring(0, method.lastIndexOf('.', method.indexOf('(')));
        }

        /**
         * The methods of the classes {@code code} accepts that may still run without C2 code, sorted. A method
         * needs C2 code when it is hot, i.e. was compiled at any tier (a method that a workload runs thousands of
         * times gets at least a C1 compilation), or when a C2 compilation calls it without inlining it (other than
         * on a call C2 found cold, {@link JitRecording#COLD_CALL}). It has C2 code when it was compiled at tier 4
         * (not on stack replacement, which serves only the loop it entered) or inlined into such a compilation, and
         * that compilation was not discarded by a deoptimization; or, with no compilation recorded for it, when
         * the code cache holds its tier-4 code in use: it was compiled before the recording began (by an earlier
         * test in this JVM), and a compilation recorded since calls it.
         */
        Set<String> withoutC2Code(Predicate<String> code) {
            Set<Integer> discarded = discardedCompilations();
            Set<String> needed = new TreeSet<>();
            Set<String> inC2 = new HashSet<>();
            Set<String> recorded = new HashSet<>();
            failed.values().forEach(compilation -> recorded.add(compilation.method()));
            for (Compilation compilation : compilations.values()) {
                recorded.add(compilation.method());
                needed.add(compilation.method());
                if (compilation.tier() == C2_TIER && !compilation.osr() && !discarded.contains(compilation.id())) {
                    inC2.add(compilation.method());
                    inC2.addAll(inlined.getOrDefault(compilation.id(), Set.of()));
                    needed.addAll(notInlined.getOrDefault(compilation.id(), Set.of()));
                }
            }
            needed.removeIf(method -> !code.test(className(method)));
            needed.removeAll(inC2);
            needed.removeIf(method -> !recorded.contains(method) && installedC2Code.contains(method));
            return needed;
        }

        /**
         * The compilations of methods of the classes {@code code} accepts that failed, one
         * {@code method at tier t[ (OSR)]: message} each, sorted. A C1 compilation that fails (say, out of virtual
         * registers on a long vector loop body) may leave the method in tier 2 code for good: C1 code without the
         * Vector API's intrinsics, which allocates a box per vector operation.
         */
        Set<String> failedCompilations(Predicate<String> code) {
            Set<String> described = new TreeSet<>();
            for (Compilation compilation : failed.values()) {
                if (code.test(className(compilation.method()))) {
                    described.add(compilation.method() + " at tier " + compilation.tier()
                            + (compilation.osr() ? " (OSR)" : "") + ": "
                            + failureMessages.getOrDefault(compilation.id(), "no message recorded"));
                }
            }
            return described;
        }

        /**
         * The calls that C2 compilations in use (tier 4, not discarded) involving the classes {@code code} accepts
         * left as real calls although the callee takes or returns a Vector API value, which is then boxed: one
         * {@code caller -> callee: C2's reason} each, sorted.
         */
        Set<String> vectorCallsNotInlined(Predicate<String> code) {
            Set<Integer> discarded = discardedCompilations();
            Set<String> calls = new TreeSet<>();
            vectorCallsNotInlined.forEach((compileId, described) -> {
                Compilation compilation = compilations.get(compileId);
                if (compilation != null && compilation.tier() == C2_TIER && !discarded.contains(compileId)
                        && involves(compileId, code)) {
                    calls.addAll(described);
                }
            });
            return calls;
        }

        private Set<Integer> discardedCompilations() {
            Set<Integer> discarded = new HashSet<>();
            deoptimizations.stream().filter(d -> DISCARDING_ACTIONS.contains(d.action()))
                    .forEach(d -> discarded.add(d.compileId()));
            return discarded;
        }

        /**
         * The compilations and deoptimizations involving the classes {@code code} accepts (as the compiled method,
         * the method holding the trap, or a method inlined into the compilation) that this snapshot has and
         * {@code earlier} had not, described one per line.
         */
        List<String> changesSince(Snapshot earlier, Predicate<String> code) {
            List<String> changes = new ArrayList<>();
            for (Compilation compilation : compilations.values()) {
                if (!earlier.compilations.containsKey(compilation.id()) && involves(compilation.id(), code)) {
                    changes.add("compiled " + compilation.method() + " at tier " + compilation.tier()
                            + (compilation.osr() ? " (OSR)" : ""));
                }
            }
            Set<Deoptimization> before = new HashSet<>(earlier.deoptimizations);
            for (Deoptimization d : deoptimizations) {
                if (!before.contains(d) && (code.test(className(d.method())) || involves(d.compileId(), code))) {
                    changes.add("deoptimized compile " + d.compileId() + " at a trap in " + d.method() + ": "
                            + d.reason() + ", " + d.action());
                }
            }
            return changes;
        }

        private boolean involves(int compileId, Predicate<String> code) {
            Compilation compilation = compilations.get(compileId);
            return compilation != null && code.test(className(compilation.method()))
                    || inlined.getOrDefault(compileId, Set.of()).stream().map(Snapshot::className).anyMatch(code)
                    || notInlined.getOrDefault(compileId, Set.of()).stream().map(Snapshot::className).anyMatch(code);
        }
    }
}
