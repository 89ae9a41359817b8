package io.github.jrnn.kernels;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The size of one core's level-2 cache, by which {@link GemmBlocking} sizes the products' inner-dimension block.
 * Read once, from the cache description Linux gives for CPU 0: one directory {@code index<i>} per cache under
 * {@link #LINUX_CPU0_CACHES}, with the files {@code level} (e.g. {@code 2}), {@code type} ({@code Data},
 * {@code Instruction} or {@code Unified}) and {@code size} (e.g. {@code 2048K}). Reading those files is all it
 * does. Where they are missing or say something else (another operating system, a container without
 * {@code /sys}), the size is 0, "unknown", which the blocking treats as a small cache.
 */
final class CacheSizes {

    /** Where Linux describes CPU 0's caches. */
    static final Path LINUX_CPU0_CACHES = Path.of("/sys/devices/system/cpu/cpu0/cache");

    private CacheSizes() {
    }

    /**
     * The size in bytes of the level-2 data or unified cache described under {@code cacheDir} (laid out as
     * {@link #LINUX_CPU0_CACHES}), or 0 when there is none, the directory cannot be read or a file in it does not
     * parse. Never throws.
     */
    static long level2Bytes(Path cacheDir) {
        try (DirectoryStream<Path> caches = Files.newDirectoryStream(cacheDir, "index*")) {
            for (Path cache : caches) {
                if ("2".equals(read(cache.resolve("level"))) && !"Instruction".equals(read(cache.resolve("type")))) {
                    return Math.max(0, parseSize(read(cache.resolve("size"))));
                }
            }
        } catch (IOException | RuntimeException e) {
            // unreadable or absent: unknown, as documented (RuntimeException covers a security manager's refusal)
        }
        return 0;
    }

    /**
     * Bytes in a cache size as Linux writes it: a decimal count with an optional binary suffix {@code K}, {@code M}
     * or {@code G} ({@code 48K}, {@code 2048K}, {@code 1M}); -1 for anything else, including null.
     */
    static long parseSize(String text) {
        if (text == null || text.isEmpty()) {
            return -1;
        }
        char unit = text.charAt(text.length() - 1);
        int shift = switch (unit) {
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            default -> 0;
        };
        String digits = shift == 0 ? text : text.substring(0, text.length() - 1);
        if (digits.isEmpty() || digits.length() > 9 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Long.parseLong(digits) << shift;
    }

    /** The file's first line without surrounding blanks, or null when it cannot be read. */
    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
