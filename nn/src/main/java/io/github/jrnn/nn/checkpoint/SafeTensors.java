package io.github.jrnn.nn.checkpoint;

import io.github.jrnn.nn.checkpoint.SafeTensorsHeader.TensorInfo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads safetensors files, the format PyTorch users save weights in ({@code tools/export_torch.py} writes them).
 *
 * <h2>Format</h2>
 * <pre>
 *   8 bytes   N = header length, unsigned little-endian
 *   N bytes   UTF-8 JSON object {"name": {"dtype": "F32", "shape": [d0, d1, ...], "data_offsets": [begin, end]}, ...,
 *             "__metadata__": {"key": "value", ...}}, possibly padded with spaces
 *   the rest  the data section: tensor "name" is the bytes [begin, end) of it, row-major, little-endian
 * </pre>
 *
 * <h2>Checks</h2>
 * The file is untrusted. Before anything is allocated from a number in it, that number is checked against the
 * file size and fixed limits: N must be at most {@value SafeTensorsHeader#MAX_HEADER_BYTES} bytes and fit the file;
 * the header must be one JSON object; dtypes must be known; dimensions non-negative, element counts at most
 * {@code Integer.MAX_VALUE} (one Java array); each range {@code end - begin} equal to {@code numel * dtype size};
 * the ranges must tile the data section exactly: no gap, no overlap, nothing outside it, no trailing bytes;
 * names unique; {@code __metadata__} string to string. Every violation is a {@link CheckpointFormatException}
 * naming the file, the tensor and the problem.
 *
 * <p>The data is read through a {@link FileChannel} in fixed-size chunks, decoded into one array per tensor, and
 * the file is closed before {@link #read} returns.
 */
public final class SafeTensors {
    /** Bytes read from the channel per call; a multiple of every dtype size. */
    private static final int CHUNK_BYTES = 1 << 16;

    private SafeTensors() {
    }

    /**
     * Reads and checks a whole safetensors file.
     *
     * @throws CheckpointFormatException when the file is not a well-formed safetensors file
     * @throws NoSuchFileException       when it does not exist
     * @throws IOException               when reading fails
     */
    public static SafeTensorsFile read(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
        if (!Files.isRegularFile(file)) {
            // A FIFO or device would block or never end; only plain files are read.
            throw new CheckpointFormatException(file, null, "not a regular file");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < Long.BYTES) {
                throw new CheckpointFormatException(file, null, "file has " + size
                        + " bytes, fewer than the 8-byte header length that starts a safetensors file");
            }
            ByteBuffer lengthField = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            readFully(file, ch, lengthField, 0);
            long headerLength = lengthField.getLong(0);
            checkHeaderLength(file, headerLength, size);
            ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
            readFully(file, ch, headerBytes, Long.BYTES);
            SafeTensorsHeader header = SafeTensorsHeader.parse(file, headerBytes.array());
            long dataStart = Long.BYTES + headerLength;
            checkLayout(file, header.tensors, size - dataStart);
            List<SafeTensorsEntry> entries = new ArrayList<>(header.tensors.size());
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (TensorInfo t : header.tensors) {
                entries.add(readEntry(file, ch, chunk, dataStart, t));
            }
            return new SafeTensorsFile(file, header.metadata, entries);
        }
    }

    private static void checkHeaderLength(Path file, long headerLength, long fileSize)
            throws CheckpointFormatException {
        // The field is unsigned: a negative long is a length of 2^63 or more.
        if (headerLength < 0 || headerLength > SafeTensorsHeader.MAX_HEADER_BYTES) {
            throw new CheckpointFormatException(file, null, "header length " + Long.toUnsignedString(headerLength)
                    + " is larger than the limit of " + SafeTensorsHeader.MAX_HEADER_BYTES
                    + " bytes (corrupt file, or not a safetensors file)");
        }
        if (headerLength > fileSize - Long.BYTES) {
            throw new CheckpointFormatException(file, null, "header length " + headerLength + " is larger than the "
                    + (fileSize - Long.BYTES) + " bytes that follow it (truncated file?)");
        }
    }

    /** The ranges, sorted by start, must cover [0, dataLength) exactly once. */
    private static void checkLayout(Path file, List<TensorInfo> tensors, long dataLength)
            throws CheckpointFormatException {
        List<TensorInfo> byOffset = new ArrayList<>(tensors);
        byOffset.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        long expected = 0;
        TensorInfo previous = null;
        for (TensorInfo t : byOffset) {
            if (t.end() > dataLength) {
                throw new CheckpointFormatException(file, t.name(), "data_offsets [" + t.begin() + ", " + t.end()
                        + "] reach past the end of the data section, which has " + dataLength
                        + " bytes (truncated file?)");
            }
            if (t.begin() < expected) {
                throw new CheckpointFormatException(file, t.name(), "data_offsets [" + t.begin() + ", " + t.end()
                        + "] overlap tensor '" + previous.name() + "' at [" + previous.begin() + ", "
                        + previous.end() + "]");
            }
            if (t.begin() > expected) {
                throw new CheckpointFormatException(file, t.name(), "data_offsets [" + t.begin() + ", " + t.end()
                        + "] leave a gap: the previous tensor ends at " + expected);
            }
            expected = t.end();
            previous = t;
        }
        if (expected != dataLength) {
            throw new CheckpointFormatException(file, null, (dataLength - expected)
                    + " trailing bytes after the last tensor (the tensors end at " + expected
                    + ", the data section has " + dataLength + " bytes)");
        }
    }

    private static SafeTensorsEntry readEntry(Path file, FileChannel ch, ByteBuffer chunk, long dataStart,
                                              TensorInfo t) throws IOException {
        int size = t.dtype().byteSize();
        int perChunk = CHUNK_BYTES / size;
        float[] floats = t.dtype().isFloatingPoint() ? new float[t.numel()] : null;
        long[] longs = floats == null ? new long[t.numel()] : null;
        long position = dataStart + t.begin();
        for (int done = 0; done < t.numel(); ) {
            int count = Math.min(perChunk, t.numel() - done);
            chunk.clear().limit(count * size);
            readFully(file, ch, chunk, position);
            chunk.flip();
            decode(file, t, chunk, count, floats, longs, done);
            position += (long) count * size;
            done += count;
        }
        return new SafeTensorsEntry(file, t.name(), t.dtype(), t.shape(), floats, longs);
    }

    /** Decodes {@code count} little-endian elements from the start of {@code chunk} into the array at {@code at}. */
    private static void decode(Path file, TensorInfo t, ByteBuffer chunk, int count, float[] floats, long[] longs,
                               int at) throws CheckpointFormatException {
        switch (t.dtype()) {
            case F32 -> chunk.asFloatBuffer().get(floats, at, count);
            case F64 -> {
                for (int i = 0; i < count; i++) {
                    floats[at + i] = (float) chunk.getDouble(i * Double.BYTES);
                }
            }
            case F16 -> {
                for (int i = 0; i < count; i++) {
                    floats[at + i] = Float.float16ToFloat(chunk.getShort(i * Short.BYTES));
                }
            }
            case BF16 -> {
                // bfloat16 is the high half of a float32: shifting its bits up is the exact conversion.
                for (int i = 0; i < count; i++) {
                    floats[at + i] = Float.intBitsToFloat((chunk.getShort(i * Short.BYTES) & 0xFFFF) << 16);
                }
            }
            case I64 -> chunk.asLongBuffer().get(longs, at, count);
            case I32 -> {
                for (int i = 0; i < count; i++) {
                    longs[at + i] = chunk.getInt(i * Integer.BYTES);
                }
            }
            case U8 -> {
                for (int i = 0; i < count; i++) {
                    longs[at + i] = chunk.get(i) & 0xFF;
                }
            }
            case BOOL -> {
                for (int i = 0; i < count; i++) {
                    byte b = chunk.get(i);
                    if (b != 0 && b != 1) {
                        throw new CheckpointFormatException(file, t.name(), "BOOL element " + (at + i) + " is "
                                + (b & 0xFF) + ", expected 0 or 1");
                    }
                    longs[at + i] = b;
                }
            }
        }
    }

    /** Fills {@code dst} from {@code position}; a file that ends first (it shrank while being read) is truncated. */
    private static void readFully(Path file, FileChannel ch, ByteBuffer dst, long position) throws IOException {
        long p = position;
        while (dst.hasRemaining()) {
            int n = ch.read(dst, p);
            if (n < 0) {
                throw new CheckpointFormatException(file, null, "file ends at byte " + p + " while "
                        + dst.remaining() + " more bytes were expected (truncated while being read?)");
            }
            p += n;
        }
    }
}
