package io.github.jrnn.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CacheSizes} reads the L2 size from directories laid out as Linux's {@code /sys/devices/system/cpu/cpu0/cache}
 * (here written into a temporary folder, with the files of the Xeon this was measured on), and says 0 whenever it
 * cannot.
 */
class CacheSizesTest {

    @TempDir
    Path dir;

    @Test
    void findsTheUnifiedLevel2CacheAmongTheOthers() throws IOException {
        cache(0, "1", "Data", "48K");
        cache(1, "1", "Instruction", "64K");
        cache(2, "2", "Unified", "2048K");
        cache(3, "3", "Unified", "491520K");
        assertEquals(2L << 20, CacheSizes.level2Bytes(dir));
    }

    @Test
    void aLevel2DataCacheCountsAndALevel2InstructionCacheDoesNot() throws IOException {
        cache(0, "2", "Instruction", "256K");
        assertEquals(0, CacheSizes.level2Bytes(dir), "only an instruction cache at level 2");
        cache(1, "2", "Data", "1M");
        assertEquals(1L << 20, CacheSizes.level2Bytes(dir), "with a data cache next to it");
    }

    @Test
    void unknownWhenTheFolderIsMissingOrASizeDoesNotParse() throws IOException {
        assertEquals(0, CacheSizes.level2Bytes(dir.resolve("absent")), "no folder");
        assertEquals(0, CacheSizes.level2Bytes(dir), "no caches in it");
        cache(2, "2", "Unified", "two megabytes");
        assertEquals(0, CacheSizes.level2Bytes(dir), "a size that is not a number");
    }

    @Test
    void unknownWhenALevel2CacheHasNoSizeFile() throws IOException {
        Path index = Files.createDirectories(dir.resolve("index2"));
        Files.writeString(index.resolve("level"), "2\n");
        Files.writeString(index.resolve("type"), "Unified\n");
        assertEquals(0, CacheSizes.level2Bytes(dir));
    }

    @Test
    void sizesInLinuxsNotation() {
        assertEquals(48L << 10, CacheSizes.parseSize("48K"));
        assertEquals(1L << 20, CacheSizes.parseSize("1M"));
        assertEquals(2L << 30, CacheSizes.parseSize("2G"));
        assertEquals(4096, CacheSizes.parseSize("4096"));
        assertEquals(-1, CacheSizes.parseSize(null));
        assertEquals(-1, CacheSizes.parseSize(""));
        assertEquals(-1, CacheSizes.parseSize("K"));
        assertEquals(-1, CacheSizes.parseSize("-1K"));
        assertEquals(-1, CacheSizes.parseSize("1.5M"));
        assertEquals(-1, CacheSizes.parseSize("99999999999K"), "more digits than a cache has");
    }

    /** One cache's directory {@code index<i>} with its level, type and size files, as Linux writes them. */
    private void cache(int i, String level, String type, String size) throws IOException {
        Path index = Files.createDirectories(dir.resolve("index" + i));
        Files.writeString(index.resolve("level"), level + "\n");
        Files.writeString(index.resolve("type"), type + "\n");
        Files.writeString(index.resolve("size"), size + "\n");
    }
}
