package io.github.jrnn.nn.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A read-only {@link SeekableByteChannel} over bytes held in memory, so a checkpoint given as a {@code byte[]} or an
 * {@link InputStream} is read by the same code as a file. A stream is read into chunks of {@value #CHUNK_BYTES}
 * bytes as they arrive: memory grows with the bytes actually sent, never with a length the content claims, and the
 * total may exceed one Java array.
 *
 * <p>Thread safety: not thread-safe (one reader at a time, like any channel with a position).
 */
final class InMemoryChannel implements SeekableByteChannel {
    private static final int CHUNK_BYTES = 1 << 20;

    private final List<byte[]> chunks; // every chunk but the last has chunkBytes bytes
    private final int chunkBytes;
    private final long size;
    private long position;
    private boolean open = true;

    private InMemoryChannel(List<byte[]> chunks, int chunkBytes, long size) {
        this.chunks = chunks;
        this.chunkBytes = chunkBytes;
        this.size = size;
    }

    /** A channel over {@code bytes} (not copied: they must not change while it is read). */
    static InMemoryChannel of(byte[] bytes) {
        return new InMemoryChannel(List.of(bytes), Math.max(1, bytes.length), bytes.length);
    }

    /**
     * Reads {@code in} to its end. A stream longer than {@code maxBytes} is refused as soon as that many bytes have
     * arrived, before the next chunk is allocated.
     *
     * @param label names the stream in messages
     * @throws CheckpointFormatException when the stream has more than {@code maxBytes} bytes
     */
    static InMemoryChannel readAll(InputStream in, Path label, long maxBytes) throws IOException {
        List<byte[]> chunks = new ArrayList<>();
        long size = 0;
        while (true) {
            byte[] chunk = new byte[CHUNK_BYTES];
            int filled = in.readNBytes(chunk, 0, CHUNK_BYTES);
            size += filled;
            if (size > maxBytes) {
                throw new CheckpointFormatException(label, null, "the stream has more than " + maxBytes
                        + " bytes, more than can be held in memory next to the tensors read from it (half the"
                        + " JVM's maximum heap, -Xmx); hint: read it from a file with StateDicts.read(Path)");
            }
            if (filled < CHUNK_BYTES) {
                chunks.add(Arrays.copyOf(chunk, filled));
                return new InMemoryChannel(chunks, CHUNK_BYTES, size);
            }
            chunks.add(chunk);
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        ensureOpen();
        if (position >= size) {
            return -1;
        }
        int total = 0;
        while (dst.hasRemaining() && position < size) {
            byte[] chunk = chunks.get((int) (position / chunkBytes));
            int at = (int) (position % chunkBytes);
            int n = Math.min(dst.remaining(), chunk.length - at);
            dst.put(chunk, at, n);
            position += n;
            total += n;
        }
        return total;
    }

    @Override
    public int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public long position() throws IOException {
        ensureOpen();
        return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) throws IOException {
        ensureOpen();
        if (newPosition < 0) {
            throw new IllegalArgumentException("position must be non-negative, got " + newPosition);
        }
        position = newPosition;
        return this;
    }

    @Override
    public long size() throws IOException {
        ensureOpen();
        return size;
    }

    @Override
    public SeekableByteChannel truncate(long newSize) {
        throw new NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!open) {
            throw new ClosedChannelException();
        }
    }
}
