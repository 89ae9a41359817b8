package io.github.jrnn.nn.checkpoint;

import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.checkpoint.SafeTensorsHeader.TensorInfo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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
 * file size and fixed limits: N must be at most {@value SafeTensorsHeader#MAX_HEADER_BYTES} bytes, at most an eighth
 * of the JVM's maximum heap, and fit the file;
 * the header must be one JSON object; dtypes must be known; dimensions non-negative and at most
 * {@code Integer.MAX_VALUE}, element counts and byte sizes within {@code long} (never wrapped); each range
 * {@code end - begin} equal to {@code numel * dtype size}; the ranges must tile the data section exactly: no gap,
 * no overlap, nothing outside it, no trailing bytes; names unique; {@code __metadata__} string to string. Every
 * violation is a {@link CheckpointFormatException} naming the file, the tensor and the problem.
 *
 * <h2>Large files</h2>
 * The data is never read into one array: each tensor is decoded from 64 KiB chunks at {@code long} positions, so
 * files and offsets beyond 2 GiB work. A tensor's values are refused, with a {@link CheckpointFormatException},
 * when they cannot be held: more than {@link #MAX_TENSOR_ELEMENTS} elements (one Java array), or more bytes decoded
 * (4 per float element, 8 per integer element) than the JVM's maximum heap.
 * <ul>
 *   <li>{@link #read} checks the whole file, refuses it when any tensor (or all of them together) cannot be held,
 *   then reads every tensor and closes the file.</li>
 *   <li>{@link #open} checks the header and layout only and keeps the file open; each tensor is read when it is
 *   asked for, so a huge tensor nobody asks for costs nothing. Close the result when done.</li>
 * </ul>
 *
 * <p>Thread safety: stateless; any number of threads may read files at once.
 */
public final class SafeTensors {
    /**
     * The most elements one tensor read from a file may have: the largest Java array HotSpot allocates
     * ({@link Tensor#MAX_ELEMENTS}).
     */
    public static final long MAX_TENSOR_ELEMENTS = Tensor.MAX_ELEMENTS;

    /**
     * A header may use at most this fraction (1 / factor) of the maximum heap: its bytes, its text and the per-tensor
     * descriptions of a header made of tiny entries take several times its size.
     */
    private static final long HEADER_HEAP_FACTOR = 8;

    private SafeTensors() {
    }

    /**
     * Reads and checks a whole safetensors file; nothing refers to the file afterwards.
     *
     * @param file the file
     * @return every tensor, loaded; the file is closed
     * @throws CheckpointFormatException when the file is not a well-formed safetensors file, or a tensor (or all
     *                                   together) is larger than can be held
     * @throws NoSuchFileException       when it does not exist
     * @throws IOException               when reading fails
     */
    public static SafeTensorsFile read(Path file) throws IOException {
        try (SafeTensorsFile lazy = open(file)) {
            List<TensorInfo> tensors = lazy.infos();
            long total = 0;
            for (TensorInfo t : tensors) {
                SafeTensorsData.checkLoadable(file, t);
                total += SafeTensorsData.decodedBytes(t);
            }
            long heap = Runtime.getRuntime().maxMemory();
            if (total > heap) {
                throw new CheckpointFormatException(file, null, "the " + tensors.size() + " tensors need " + total
                        + " bytes once decoded, more than the JVM's maximum heap of " + heap + " bytes (-Xmx);"
                        + " hint: SafeTensors.open reads only the tensors asked for");
            }
            return lazy.loadAll();
        }
    }

    /**
     * Checks the header and the layout of {@code file} and returns it open: each tensor is read from the file when
     * its values are asked for ({@link SafeTensorsEntry#toTensor()} and friends), and refused then if it cannot be
     * held. Close the result (try-with-resources) to release the file.
     *
     * @param file the file
     * @return the checked header, reading tensors on demand; close it
     * @throws CheckpointFormatException when the header or layout is malformed
     * @throws NoSuchFileException       when it does not exist
     * @throws IOException               when reading fails
     */
    public static SafeTensorsFile open(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
        if (!Files.isRegularFile(file)) {
            // A FIFO or device would block or never end; only plain files are read.
            throw new CheckpointFormatException(file, null, "not a regular file");
        }
        return open(file, new SafeTensorsData(file));
    }

    /** {@link #open(Path)} of bytes already open as {@code data}; closes {@code data} when it is refused. */
    static SafeTensorsFile open(Path file, SafeTensorsData data) throws IOException {
        try {
            long size = data.size();
            if (size < Long.BYTES) {
                throw new CheckpointFormatException(file, null, "file has " + size
                        + " bytes, fewer than the 8-byte header length that starts a safetensors file");
            }
            byte[] lengthField = new byte[Long.BYTES];
            data.readFully(lengthField, Long.BYTES, 0);
            long headerLength = ByteBuffer.wrap(lengthField).order(ByteOrder.LITTLE_ENDIAN).getLong();
            checkHeaderLength(file, headerLength, size);
            byte[] headerBytes = new byte[(int) headerLength];
            data.readFully(headerBytes, headerBytes.length, Long.BYTES);
            SafeTensorsHeader header = SafeTensorsHeader.parse(file, headerBytes);
            long dataStart = Long.BYTES + headerLength;
            checkLayout(file, header.tensors, size - dataStart);
            data.dataStart(dataStart);
            return new SafeTensorsFile(file, header.metadata, header.tensors, data);
        } catch (IOException | RuntimeException e) {
            try {
                data.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
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
        // Parsing holds the bytes, the text and one description per tensor: several times the header's size.
        long heap = Runtime.getRuntime().maxMemory();
        if (headerLength > heap / HEADER_HEAP_FACTOR) {
            throw new CheckpointFormatException(file, null, "header length " + headerLength + " needs about "
                    + HEADER_HEAP_FACTOR + " times as many bytes of heap to parse, more than the JVM's maximum heap"
                    + " of " + heap + " bytes (-Xmx)");
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
}
