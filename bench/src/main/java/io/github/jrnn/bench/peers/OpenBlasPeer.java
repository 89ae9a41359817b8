package io.github.jrnn.bench.peers;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;

/**
 * OpenBLAS, the native reference, as shipped by {@code org.bytedeco:openblas} (JavaCPP bindings plus a
 * DYNAMIC_ARCH libopenblas for linux-x86_64).
 *
 * <p>The BLAS calls themselves go through JavaCPP's {@code openblas.cblas_*} on off-heap {@link FloatPointer}
 * buffers filled once, so a benchmark measures OpenBLAS's kernel plus one JNI call, not a copy of Java arrays
 * into native memory per call (which is what the {@code float[]} overloads do). The OpenBLAS-specific controls the
 * JavaCPP preset does not map ({@code openblas_set_num_threads}, {@code openblas_get_num_threads},
 * {@code openblas_get_corename}, {@code openblas_get_config}) are called through the Foreign Function API; this
 * needs {@code --enable-native-access=ALL-UNNAMED}.
 *
 * <p>Two copies: JavaCPP maps both {@code libopenblas_nolapack.so.0} (the base preset) and {@code libopenblas.so.0}
 * into the process, each with its own thread count, and which copy's {@code cblas_sgemm} the JNI glue ends up
 * calling is the dynamic linker's choice (measured here: the nolapack copy, whatever the glue's NEEDED entry
 * says). A thread count set on one copy only is silently ignored by the other, so {@link #setThreads} sets it on
 * every mapped copy and checks each.
 *
 * <p>The core type OpenBLAS picks can be forced by the {@code OPENBLAS_CORETYPE} environment variable; this class
 * reads it only to report it and never changes it.
 */
public final class OpenBlasPeer {

    private OpenBlasPeer() {
    }

    /** The control functions of one mapped OpenBLAS file. */
    private record Controls(Path library, MethodHandle setNumThreads, MethodHandle getNumThreads,
                            MethodHandle getCorename, MethodHandle getConfig) {

        // Binding OpenBLAS's thread controls is native access on purpose: the peer's JVMs run with
        // --enable-native-access=ALL-UNNAMED (the launcher and the study's forks pass it).
        @SuppressWarnings("restricted")
        static Controls bind(Path library) {
            SymbolLookup lookup = SymbolLookup.libraryLookup(library, Arena.global());
            Linker linker = Linker.nativeLinker();
            return new Controls(library,
                    linker.downcallHandle(find(lookup, library, "openblas_set_num_threads"),
                            FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT)),
                    linker.downcallHandle(find(lookup, library, "openblas_get_num_threads"),
                            FunctionDescriptor.of(ValueLayout.JAVA_INT)),
                    linker.downcallHandle(find(lookup, library, "openblas_get_corename"),
                            FunctionDescriptor.of(ValueLayout.ADDRESS)),
                    linker.downcallHandle(find(lookup, library, "openblas_get_config"),
                            FunctionDescriptor.of(ValueLayout.ADDRESS)));
        }

        private static MemorySegment find(SymbolLookup lookup, Path library, String name) {
            return lookup.find(name).orElseThrow(() -> new IllegalStateException(library + " does not export "
                    + name));
        }

        int threads() {
            try {
                return (int) getNumThreads.invokeExact();
            } catch (Throwable e) {
                throw new IllegalStateException("openblas_get_num_threads failed in " + library, e);
            }
        }
    }

    /** Loads OpenBLAS once (JavaCPP extracts it to its cache) and binds the controls of every mapped copy. */
    private static final class Native {
        static final List<Controls> COPIES;

        static {
            Loader.load(openblas.class);
            COPIES = mappedLibraries().stream().map(Controls::bind).toList();
            if (COPIES.isEmpty()) {
                throw new IllegalStateException("no libopenblas*.so is mapped in this process after loading");
            }
        }

        /** Every libopenblas*.so file mapped into this process, from {@code /proc/self/maps} (Linux). */
        private static List<Path> mappedLibraries() {
            try (Stream<String> maps = Files.lines(Path.of("/proc/self/maps"))) {
                return maps.map(line -> line.substring(line.lastIndexOf(' ') + 1))
                        .filter(path -> path.startsWith("/")
                                && path.substring(path.lastIndexOf('/') + 1).matches("libopenblas[a-z_]*\\.so.*"))
                        .distinct().map(Path::of).toList();
            } catch (IOException e) {
                throw new IllegalStateException("cannot read /proc/self/maps to find libopenblas: " + e, e);
            }
        }
    }

    /** Sets the number of threads OpenBLAS uses for every later call ({@code openblas_set_num_threads}). */
    public static void setThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        for (Controls copy : Native.COPIES) {
            try {
                copy.setNumThreads().invokeExact(threads);
            } catch (Throwable e) {
                throw new IllegalStateException("openblas_set_num_threads(" + threads + ") failed in "
                        + copy.library(), e);
            }
            int now = copy.threads();
            if (now != threads) {
                throw new IllegalStateException("asked OpenBLAS (" + copy.library() + ") for " + threads
                        + " threads, it uses " + now + " (built with fewer MAX_THREADS?)");
            }
        }
    }

    /** The number of threads OpenBLAS uses now; the same in every copy, or an exception says they differ. */
    public static int threads() {
        int first = Native.COPIES.get(0).threads();
        for (Controls copy : Native.COPIES) {
            if (copy.threads() != first) {
                throw new IllegalStateException("the OpenBLAS copies disagree on their thread count: "
                        + Native.COPIES.get(0).library() + " uses " + first + ", " + copy.library() + " uses "
                        + copy.threads() + "; call setThreads first");
            }
        }
        return first;
    }

    /** The core type whose kernels OpenBLAS runs, e.g. {@code Haswell} ({@code openblas_get_corename}). */
    public static String coreName() {
        return nativeString(Native.COPIES.get(0).getCorename(), "openblas_get_corename");
    }

    /** OpenBLAS's build summary, e.g. {@code OpenBLAS 0.3.31 DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64}. */
    public static String config() {
        return nativeString(Native.COPIES.get(0).getConfig(), "openblas_get_config");
    }

    /**
     * The full OpenBLAS file (with LAPACK) in JavaCPP's cache, so another process (the PyTorch peer) can be run on
     * the same build.
     */
    public static Path libraryPath() {
        return Native.COPIES.stream().map(Controls::library)
                .filter(p -> p.getFileName().toString().startsWith("libopenblas.so")).findFirst()
                .orElseThrow(() -> new IllegalStateException("libopenblas.so is not mapped; found only "
                        + Native.COPIES.stream().map(Controls::library).toList()));
    }

    @SuppressWarnings("restricted") // reading OpenBLAS's static strings: native access on purpose, as in bind
    private static String nativeString(MethodHandle function, String name) {
        try {
            MemorySegment text = (MemorySegment) function.invokeExact();
            // The functions return a pointer to a static NUL-terminated string; 4 KiB bounds the read.
            return text.reinterpret(4096).getString(0);
        } catch (Throwable e) {
            throw new IllegalStateException(name + " failed", e);
        }
    }

    /** An off-heap copy of {@code values}, for the cblas calls; JavaCPP frees it when it becomes unreachable. */
    public static FloatPointer offHeapCopy(float[] values) {
        return new FloatPointer(values);
    }

    /** Reads an off-heap buffer back into a new array (for correctness checks in benchmark setup). */
    public static float[] toArray(FloatPointer pointer, int length) {
        float[] out = new float[length];
        pointer.get(out);
        return out;
    }
}
