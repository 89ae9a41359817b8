package io.github.jrnn.bench.peers;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * into native memory per call (which is what the {@code float[]} overloads do). The three OpenBLAS-specific
 * controls the JavaCPP preset does not map ({@code openblas_set_num_threads}, {@code openblas_get_num_threads},
 * {@code openblas_get_corename}, {@code openblas_get_config}) are called through the Foreign Function API on the
 * library JavaCPP has loaded; this needs {@code --enable-native-access=ALL-UNNAMED}.
 *
 * <p>The core type OpenBLAS picks can be forced by the {@code OPENBLAS_CORETYPE} environment variable; this class
 * reads it only to report it and never changes it.
 */
public final class OpenBlasPeer {

    private OpenBlasPeer() {
    }

    /** Loads libopenblas once (JavaCPP extracts it to its cache) and binds the OpenBLAS control functions. */
    private static final class Native {
        static final MethodHandle SET_NUM_THREADS;
        static final MethodHandle GET_NUM_THREADS;
        static final MethodHandle GET_CORENAME;
        static final MethodHandle GET_CONFIG;

        static {
            Loader.load(openblas.class);
            SymbolLookup lookup = SymbolLookup.loaderLookup();
            Linker linker = Linker.nativeLinker();
            SET_NUM_THREADS = linker.downcallHandle(find(lookup, "openblas_set_num_threads"),
                    FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT));
            GET_NUM_THREADS = linker.downcallHandle(find(lookup, "openblas_get_num_threads"),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT));
            GET_CORENAME = linker.downcallHandle(find(lookup, "openblas_get_corename"),
                    FunctionDescriptor.of(ValueLayout.ADDRESS));
            GET_CONFIG = linker.downcallHandle(find(lookup, "openblas_get_config"),
                    FunctionDescriptor.of(ValueLayout.ADDRESS));
        }

        private static MemorySegment find(SymbolLookup lookup, String name) {
            return lookup.find(name).orElseThrow(() -> new IllegalStateException(
                    "libopenblas loaded by JavaCPP does not export " + name));
        }
    }

    /** Sets the number of threads OpenBLAS uses for every later call ({@code openblas_set_num_threads}). */
    public static void setThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        try {
            Native.SET_NUM_THREADS.invokeExact(threads);
        } catch (Throwable e) {
            throw new IllegalStateException("openblas_set_num_threads(" + threads + ") failed", e);
        }
        int now = threads();
        if (now != threads) {
            throw new IllegalStateException("asked OpenBLAS for " + threads + " threads, it uses " + now
                    + " (built with fewer MAX_THREADS?)");
        }
    }

    /** The number of threads OpenBLAS uses now ({@code openblas_get_num_threads}). */
    public static int threads() {
        try {
            return (int) Native.GET_NUM_THREADS.invokeExact();
        } catch (Throwable e) {
            throw new IllegalStateException("openblas_get_num_threads failed", e);
        }
    }

    /** The core type whose kernels OpenBLAS runs, e.g. {@code Haswell} ({@code openblas_get_corename}). */
    public static String coreName() {
        return nativeString(Native.GET_CORENAME, "openblas_get_corename");
    }

    /** OpenBLAS's build summary, e.g. {@code OpenBLAS 0.3.31 DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64}. */
    public static String config() {
        return nativeString(Native.GET_CONFIG, "openblas_get_config");
    }

    private static String nativeString(MethodHandle function, String name) {
        try {
            MemorySegment text = (MemorySegment) function.invokeExact();
            // The functions return a pointer to a static NUL-terminated string; 4 KiB bounds the read.
            return text.reinterpret(4096).getString(0);
        } catch (Throwable e) {
            throw new IllegalStateException(name + " failed", e);
        }
    }

    /**
     * The file of the libopenblas this JVM has loaded (JavaCPP's cache), read from {@code /proc/self/maps}, so
     * another process (the PyTorch peer) can be run on exactly the same library.
     *
     * @throws IllegalStateException when the library is not mapped or the maps cannot be read (not Linux)
     */
    public static Path libraryPath() {
        coreName(); // loads the library
        try (Stream<String> maps = Files.lines(Path.of("/proc/self/maps"))) {
            return maps.map(line -> line.substring(line.lastIndexOf(' ') + 1))
                    .filter(path -> path.startsWith("/") && path.contains("/libopenblas.so"))
                    .findFirst().map(Path::of)
                    .orElseThrow(() -> new IllegalStateException("libopenblas is not mapped in this process"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/maps to find libopenblas: " + e, e);
        }
    }

    /** An off-heap copy of {@code values}, for the cblas calls; freed by the garbage collector or {@code close}. */
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
