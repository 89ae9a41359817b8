package io.github.jrnn.nn.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The entries of a zip file, read from its central directory (APPNOTE.TXT 6.3): the format {@code torch.save}
 * writes. Parsed by hand, not with {@code java.util.zip}, so every number is checked before it is used:
 * <ul>
 *   <li>the end record is the last 22 bytes plus the comment; ZIP64 end records (section 4.3.14) and ZIP64 extra
 *   fields (4.5.3) replace every field marked {@code 0xFFFF}/{@code 0xFFFFFFFF};</li>
 *   <li>the central directory lies before the end record, holds at most {@value #MAX_DIRECTORY_BYTES} bytes and at
 *   most one entry per 46 bytes (the smallest record), and is read in one array only after those checks;</li>
 *   <li>each entry's local header and data lie before the central directory, no two entries overlap (overlapping
 *   entries are how zip bombs multiply their size), names are unique and valid UTF-8;</li>
 *   <li>encrypted entries and multi-disk archives are refused here; compressed entries when they are read
 *   ({@link #stored}), since {@code torch.save} writes every entry stored.</li>
 * </ul>
 */
final class ZipDirectory {
    static final long MAX_DIRECTORY_BYTES = 1 << 28;
    private static final int END_BYTES = 22;
    private static final int CENTRAL_BYTES = 46;
    private static final int LOCAL_BYTES = 30;
    private static final int MAX_COMMENT = 0xFFFF;
    private static final long MARK16 = 0xFFFF;
    private static final long MARK32 = 0xFFFFFFFFL;

    /** One entry: its data range in the file, its compression method (0 = stored) and its name. */
    record Entry(String name, long dataStart, long size, int method, long localStart) {
        long dataEnd() {
            return dataStart + size;
        }
    }

    private final Path file;
    private final Map<String, Entry> entries; // central directory order

    private ZipDirectory(Path file, Map<String, Entry> entries) {
        this.file = file;
        this.entries = Collections.unmodifiableMap(entries);
    }

    /** The entries by name, in central directory order. */
    Map<String, Entry> entries() {
        return entries;
    }

    /** The entry called {@code name}, refused unless it is stored uncompressed; null when there is none. */
    Entry stored(String name) throws CheckpointFormatException {
        Entry e = entries.get(name);
        if (e != null && e.method() != 0) {
            throw new CheckpointFormatException(file, null, "zip entry '" + name + "' is compressed (method "
                    + e.method() + "); torch.save writes every entry stored: read the original file, or re-zip it"
                    + " without compression (zip -0)");
        }
        return e;
    }

    static ZipDirectory read(SeekableByteChannel ch, Path file) throws IOException {
        long size = ch.size();
        int tailLength = (int) Math.min(size, END_BYTES + MAX_COMMENT);
        ByteBuffer tail = readAt(ch, file, size - tailLength, tailLength);
        int end = findEnd(tail, tailLength);
        if (end < 0) {
            throw fail(file, "no end of central directory record (a truncated or damaged zip file)");
        }
        long endStart = size - tailLength + end;
        long diskFields = tail.getShort(end + 4) & 0xFFFF | (tail.getShort(end + 6) & 0xFFFF);
        long count = tail.getShort(end + 10) & 0xFFFF;
        long directorySize = tail.getInt(end + 12) & MARK32;
        long directoryStart = tail.getInt(end + 16) & MARK32;
        long directoryLimit = endStart;
        if (count == MARK16 || directorySize == MARK32 || directoryStart == MARK32) {
            long[] zip64 = readZip64End(ch, file, endStart, count);
            diskFields = zip64[0]; // the end record may mark its disk fields too
            count = zip64[1];
            directorySize = zip64[2];
            directoryStart = zip64[3];
            directoryLimit = zip64[4];
        }
        if (diskFields != 0) {
            throw fail(file, "a zip archive split over several disks is not supported");
        }
        if (directoryStart < 0 || directorySize < 0 || directorySize > directoryLimit
                || directoryStart > directoryLimit - directorySize) {
            throw fail(file, "the central directory at " + Long.toUnsignedString(directoryStart) + " with "
                    + Long.toUnsignedString(directorySize) + " bytes does not fit before the end record at "
                    + directoryLimit);
        }
        if (directorySize > MAX_DIRECTORY_BYTES || directorySize > Runtime.getRuntime().maxMemory() / 8) {
            throw fail(file, "the central directory has " + directorySize + " bytes, more than the limit of "
                    + Math.min(MAX_DIRECTORY_BYTES, Runtime.getRuntime().maxMemory() / 8) + " bytes");
        }
        if (count < 0 || count > directorySize / CENTRAL_BYTES) {
            throw fail(file, "the end record says " + Long.toUnsignedString(count) + " entries, but the central"
                    + " directory's " + directorySize + " bytes hold at most " + directorySize / CENTRAL_BYTES);
        }
        ByteBuffer directory = readAt(ch, file, directoryStart, (int) directorySize);
        List<Entry> list = readCentralEntries(ch, file, directory, (int) count, directoryStart);
        checkNoOverlap(file, list);
        Map<String, Entry> byName = new LinkedHashMap<>();
        for (Entry e : list) {
            if (byName.put(e.name(), e) != null) {
                throw fail(file, "two entries named '" + e.name() + "'");
            }
        }
        return new ZipDirectory(file, byName);
    }

    /** The offset in {@code tail} of the end record whose comment reaches exactly the end of the file, or -1. */
    private static int findEnd(ByteBuffer tail, int length) {
        for (int at = length - END_BYTES; at >= 0; at--) {
            if (tail.getInt(at) == 0x06054b50 && at + END_BYTES + (tail.getShort(at + 20) & 0xFFFF) == length) {
                return at;
            }
        }
        return -1;
    }

    /** {disk fields, entry count, directory size, directory start, where the ZIP64 end record starts}. */
    private static long[] readZip64End(SeekableByteChannel ch, Path file, long endStart, long count)
            throws IOException {
        if (endStart < 20) {
            throw fail(file, "the end record says " + count + " entries or marks a size as ZIP64, but there is no"
                    + " ZIP64 locator before it");
        }
        ByteBuffer locator = readAt(ch, file, endStart - 20, 20);
        if (locator.getInt(0) != 0x07064b50) {
            throw fail(file, "the end record says " + count + " entries or marks a size as ZIP64, but there is no"
                    + " ZIP64 locator before it");
        }
        long recordStart = locator.getLong(8);
        if (recordStart < 0 || recordStart > endStart - 20 - 56) {
            throw fail(file, "the ZIP64 end record at " + Long.toUnsignedString(recordStart) + " does not fit"
                    + " before its locator at " + (endStart - 20));
        }
        ByteBuffer record = readAt(ch, file, recordStart, 56);
        if (record.getInt(0) != 0x06064b50) {
            throw fail(file, "no ZIP64 end record at " + recordStart);
        }
        long disks = locator.getInt(4) | record.getInt(16) | record.getInt(20) | (locator.getInt(16) - 1);
        return new long[] {disks, record.getLong(32), record.getLong(40), record.getLong(48), recordStart};
    }

    private static List<Entry> readCentralEntries(SeekableByteChannel ch, Path file, ByteBuffer dir, int count,
                                                  long directoryStart) throws IOException {
        List<Entry> out = new ArrayList<>(count);
        int at = 0;
        for (int i = 0; i < count; i++) {
            if (at > dir.limit() - CENTRAL_BYTES || dir.getInt(at) != 0x02014b50) {
                throw fail(file, "central directory record " + i + " at " + (directoryStart + at)
                        + " is missing or cut short");
            }
            int flags = dir.getShort(at + 8) & 0xFFFF;
            int method = dir.getShort(at + 10) & 0xFFFF;
            long compressed = dir.getInt(at + 20) & MARK32;
            long size = dir.getInt(at + 24) & MARK32;
            int nameLength = dir.getShort(at + 28) & 0xFFFF;
            int extraLength = dir.getShort(at + 30) & 0xFFFF;
            int commentLength = dir.getShort(at + 32) & 0xFFFF;
            long disk = dir.getShort(at + 34) & 0xFFFF;
            long local = dir.getInt(at + 42) & MARK32;
            int next = at + CENTRAL_BYTES + nameLength + extraLength + commentLength;
            if (next > dir.limit()) {
                throw fail(file, "central directory record " + i + " reaches past the central directory");
            }
            String name = utf8(file, dir, at + CENTRAL_BYTES, nameLength);
            long[] wide = zip64Extra(file, name, dir, at + CENTRAL_BYTES + nameLength, extraLength,
                    new long[] {size, compressed, local, disk});
            size = wide[0];
            compressed = wide[1];
            local = wide[2];
            if (wide[3] != 0) {
                throw fail(file, "entry '" + name + "' is on disk " + wide[3] + "; multi-disk archives are not"
                        + " supported");
            }
            if ((flags & 0x41) != 0) {
                throw fail(file, "entry '" + name + "' is encrypted");
            }
            if (method == 0 && compressed != size) {
                throw fail(file, "stored entry '" + name + "' has compressed size " + compressed + " but size " + size);
            }
            out.add(localEntry(ch, file, name, method, local, compressed, directoryStart));
            at = next;
        }
        return out;
    }

    /** Replaces the fields marked 0xFFFFFFFF (0xFFFF for the disk) with the ZIP64 extra field's values, in order. */
    private static long[] zip64Extra(Path file, String name, ByteBuffer dir, int at, int length, long[] fields)
            throws CheckpointFormatException {
        long[] marks = {MARK32, MARK32, MARK32, MARK16};
        int end = at + length;
        while (at + 4 <= end) {
            int id = dir.getShort(at) & 0xFFFF;
            int size = dir.getShort(at + 2) & 0xFFFF;
            if (at + 4 + size > end) {
                break;
            }
            if (id == 1) {
                int p = at + 4;
                long[] out = fields.clone();
                for (int f = 0; f < 4; f++) {
                    if (fields[f] == marks[f]) {
                        int width = f == 3 ? 4 : 8;
                        if (p + width > at + 4 + size) {
                            throw fail(file, "entry '" + name + "': the ZIP64 extra field is too short");
                        }
                        out[f] = width == 8 ? dir.getLong(p) : dir.getInt(p) & MARK32;
                        p += width;
                    }
                }
                return out;
            }
            at += 4 + size;
        }
        return fields;
    }

    private static Entry localEntry(SeekableByteChannel ch, Path file, String name, int method, long local,
                                    long compressed, long directoryStart) throws IOException {
        if (local < 0 || local > directoryStart - LOCAL_BYTES) {
            throw fail(file, "entry '" + name + "': its local header at " + Long.toUnsignedString(local)
                    + " reaches past the start of the central directory at " + directoryStart);
        }
        ByteBuffer header = readAt(ch, file, local, LOCAL_BYTES);
        if (header.getInt(0) != 0x04034b50) {
            throw fail(file, "entry '" + name + "': no local header at " + local);
        }
        long dataStart = local + LOCAL_BYTES + (header.getShort(26) & 0xFFFF) + (header.getShort(28) & 0xFFFF);
        if (compressed < 0 || dataStart > directoryStart || compressed > directoryStart - dataStart) {
            throw fail(file, "entry '" + name + "': its data at " + dataStart + " with "
                    + Long.toUnsignedString(compressed) + " bytes reaches past the start of the central directory at "
                    + directoryStart);
        }
        return new Entry(name, dataStart, compressed, method, local);
    }

    /** Entries sorted by where they start must each end before the next begins. */
    private static void checkNoOverlap(Path file, List<Entry> entries) throws CheckpointFormatException {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::localStart));
        for (int i = 1; i < sorted.size(); i++) {
            Entry before = sorted.get(i - 1);
            Entry e = sorted.get(i);
            if (e.localStart() < before.dataEnd()) {
                throw fail(file, "entry '" + e.name() + "' at " + e.localStart() + " overlaps entry '" + before.name()
                        + "' at [" + before.localStart() + ", " + before.dataEnd() + ")");
            }
        }
    }

    private static String utf8(Path file, ByteBuffer dir, int at, int length) throws CheckpointFormatException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(dir.slice(at, length)).toString();
        } catch (CharacterCodingException e) {
            throw fail(file, "the entry name at central directory byte " + at + " is not valid UTF-8");
        }
    }

    /** {@code length} bytes at {@code position}, little-endian. */
    static ByteBuffer readAt(SeekableByteChannel ch, Path file, long position, int length) throws IOException {
        ByteBuffer out = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        ch.position(position);
        while (out.hasRemaining()) {
            if (ch.read(out) < 0) {
                throw fail(file, "the file ends at byte " + (position + out.position()) + " while " + out.remaining()
                        + " more bytes were expected (truncated?)");
            }
        }
        return out.clear();
    }

    private static CheckpointFormatException fail(Path file, String problem) {
        return new CheckpointFormatException(file, null, "zip: " + problem);
    }
}
