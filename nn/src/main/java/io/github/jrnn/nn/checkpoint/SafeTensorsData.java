package io.github.jrnn.nn.checkpoint;

import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.checkpoint.SafeTensorsHeader.TensorInfo;

import java.io.Closeable;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The data section of an open safetensors file: decodes one tensor's byte range into a fresh array on request.
 *
 * <p>Reads go through a {@link RandomAccessFile} in chunks of {@value #CHUNK_BYTES} bytes, never through one array
 * the size of the file, and positions are {@code long}, so tensors beyond 2 GiB read like any other. A
 * {@code FileChannel} would allow lock-free positional reads, but an interrupt of any thread blocked in one closes
 * the channel for every thread (a request cancelled with {@code Future.cancel(true)} would break the file for all
 * others); a memory mapping would turn a file truncated by someone else into an {@code InternalError} on access.
 * Here a truncated file is a {@link CheckpointFormatException} and an interrupt is ignored until the read is done.
 * Files of other file systems (a zip file system, an in-memory one) have no {@code java.io.File}; they are read
 * through their {@link SeekableByteChannel}, where the interrupt caveat above applies.
 *
 * <p>Thread safety: {@link #floats} and {@link #longs} may be called from many threads; each chunk's seek and read
 * happen under the file's lock, decoding happens outside it. {@link #close} while a read runs makes that read fail
 * with an {@link IOException}.
 */
final class SafeTensorsData implements Closeable {
    /** Bytes read per call; a multiple of every dtype size. */
    private static final int CHUNK_BYTES = 1 << 16;

    private final Path file;
    private final RandomAccessFile raf;         // the file on the default file system, else null
    private final SeekableByteChannel channel;  // the file on another file system, else null
    private final Object lock = new Object();   // held for each seek-and-read
    private long dataStart; // set once, before the open file is handed out
    private volatile boolean closed;

    /** Opens {@code file} for reading. */
    SafeTensorsData(Path file) throws IOException {
        this.file = file;
        boolean local = file.getFileSystem() == FileSystems.getDefault();
        this.raf = local ? new RandomAccessFile(file.toFile(), "r") : null;
        this.channel = local ? null : Files.newByteChannel(file);
    }

    /** Reads an already open channel (bytes held in memory); {@code label} names it in messages. */
    SafeTensorsData(Path label, SeekableByteChannel channel) {
        this.file = label;
        this.raf = null;
        this.channel = channel;
    }

    /** Where the data section starts, once the header has been read. */
    void dataStart(long start) {
        this.dataStart = start;
    }

    /** The file's length in bytes. */
    long size() throws IOException {
        synchronized (lock) {
            return raf != null ? raf.length() : channel.size();
        }
    }

    /**
     * Refuses a tensor whose values cannot be held: more elements than one jrnn tensor holds
     * ({@link SafeTensors#MAX_TENSOR_ELEMENTS}), or more bytes once decoded than the JVM's maximum heap. The
     * second check cannot promise the allocation succeeds (the heap may be in use), but it turns a request that
     * can never succeed into a clear refusal instead of an {@link OutOfMemoryError}.
     */
    static void checkLoadable(Path file, TensorInfo t) throws CheckpointFormatException {
        if (t.numel() > SafeTensors.MAX_TENSOR_ELEMENTS) {
            throw new CheckpointFormatException(file, t.name(), t.dtype() + " shape "
                    + Tensor.shapeString(t.shape()) + " has " + t.numel() + " elements, more than the "
                    + SafeTensors.MAX_TENSOR_ELEMENTS + " one jrnn tensor (one Java array) holds");
        }
        long bytes = decodedBytes(t);
        long heap = Runtime.getRuntime().maxMemory();
        if (bytes > heap) {
            throw new CheckpointFormatException(file, t.name(), t.dtype() + " shape "
                    + Tensor.shapeString(t.shape()) + " needs " + bytes + " bytes once decoded, more than the"
                    + " JVM's maximum heap of " + heap + " bytes (-Xmx)");
        }
    }

    /** Bytes of the array a tensor decodes into: 4 per element for float dtypes, 8 for integer dtypes. */
    static long decodedBytes(TensorInfo t) {
        return t.numel() * (t.dtype().isFloatingPoint() ? Float.BYTES : Long.BYTES);
    }

    /** The values of a float-dtype tensor as float32, row-major. */
    float[] floats(TensorInfo t) throws IOException {
        checkLoadable(file, t);
        float[] out = new float[(int) t.numel()];
        read(t, out, null);
        return out;
    }

    /** The values of an integer-dtype tensor as longs, row-major. */
    long[] longs(TensorInfo t) throws IOException {
        checkLoadable(file, t);
        long[] out = new long[(int) t.numel()];
        read(t, null, out);
        return out;
    }

    /** The tensor's bytes exactly as stored (little-endian, row-major), for readers that keep the dtype. */
    byte[] bytes(TensorInfo t) throws IOException {
        long length = t.end() - t.begin();
        if (length > SafeTensors.MAX_TENSOR_ELEMENTS) {
            throw new CheckpointFormatException(file, t.name(), t.dtype() + " shape " + Tensor.shapeString(t.shape())
                    + " has " + length + " bytes, more than one Java array (" + SafeTensors.MAX_TENSOR_ELEMENTS
                    + " bytes) holds");
        }
        byte[] out = new byte[(int) length];
        readChunk(out, out.length, dataStart + t.begin());
        return out;
    }

    private void read(TensorInfo t, float[] floats, long[] longs) throws IOException {
        int size = t.dtype().byteSize();
        int perChunk = CHUNK_BYTES / size;
        int numel = (int) t.numel();
        ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES,
                (long) numel * size)).order(ByteOrder.LITTLE_ENDIAN);
        long position = dataStart + t.begin();
        for (int done = 0; done < numel; ) {
            int count = Math.min(perChunk, numel - done);
            readChunk(chunk.array(), count * size, position);
            chunk.clear().limit(count * size);
            decode(t, chunk, count, floats, longs, done);
            position += (long) count * size;
            done += count;
        }
    }

    private void readChunk(byte[] into, int length, long position) throws IOException {
        if (closed) {
            throw new IllegalStateException(file + " was closed; read its tensors before closing it, or read the"
                    + " whole file with SafeTensors.read");
        }
        readFully(into, length, position);
    }

    /**
     * Fills {@code into[0, length)} from the file at {@code position}; a file that ends first (it shrank while
     * being read) is a {@link CheckpointFormatException}.
     */
    void readFully(byte[] into, int length, long position) throws IOException {
        synchronized (lock) {
            int got = 0;
            if (raf != null) {
                raf.seek(position);
            } else {
                channel.position(position);
            }
            while (got < length) {
                int n = raf != null ? raf.read(into, got, length - got)
                        : channel.read(ByteBuffer.wrap(into, got, length - got));
                if (n < 0) {
                    throw new CheckpointFormatException(file, null, "file ends at byte " + (position + got)
                            + " while " + (length - got) + " more bytes were expected (truncated while being read?)");
                }
                got += n;
            }
        }
    }

    /** Decodes {@code count} little-endian elements from the start of {@code chunk} into the array at {@code at}. */
    private void decode(TensorInfo t, ByteBuffer chunk, int count, float[] floats, long[] longs, int at)
            throws CheckpointFormatException {
        DType dtype = t.dtype();
        int size = dtype.byteSize();
        if (dtype == DType.F32) {
            chunk.asFloatBuffer().get(floats, at, count);
        } else if (dtype == DType.I64) {
            chunk.asLongBuffer().get(longs, at, count);
        } else if (dtype.isFloatingPoint()) {
            for (int i = 0; i < count; i++) {
                floats[at + i] = ElementCodec.floatAt(dtype, chunk, i * size);
            }
        } else {
            for (int i = 0; i < count; i++) {
                long v = ElementCodec.longAt(dtype, chunk, i * size);
                if (dtype == DType.BOOL && v > 1) {
                    throw new CheckpointFormatException(file, t.name(), "BOOL element " + (at + i) + " is " + v
                            + ", expected 0 or 1");
                }
                longs[at + i] = v;
            }
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        if (raf != null) {
            raf.close();
        } else {
            channel.close();
        }
    }
}
