package io.github.jrnn.nn.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;

/**
 * Sequential, buffered reads of the byte range {@code [start, end)} of a channel: a pickle stream inside a zip entry
 * or a legacy {@code torch.save} file. Every read states how many bytes it needs first, and a need beyond the end of
 * the range is a {@link CheckpointFormatException} before anything of that size is allocated.
 *
 * <p>Thread safety: not thread-safe; one reader per channel at a time.
 */
final class ChannelInput {
    private static final int BUFFER_BYTES = 1 << 16;

    private final SeekableByteChannel channel;
    private final Path file;
    private final String what; // e.g. "data.pkl" or "the file", for messages
    private final long end;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
    private long bufferStart; // channel position of buffer[0]
    private int bufferFill;   // valid bytes in buffer
    private int bufferPos;    // next byte to read in buffer

    ChannelInput(SeekableByteChannel channel, Path file, String what, long start, long end) {
        this.channel = channel;
        this.file = file;
        this.what = what;
        this.end = end;
        this.bufferStart = start;
    }

    /** The channel position of the next byte. */
    long position() {
        return bufferStart + bufferPos;
    }

    /** Bytes left in the range. */
    long remaining() {
        return end - position();
    }

    /** The file being read, for messages. */
    Path file() {
        return file;
    }

    /** One byte, 0 to 255. */
    int readUnsigned() throws IOException {
        require(1);
        if (bufferPos == bufferFill) {
            fill();
        }
        return buffer.get(bufferPos++) & 0xFF;
    }

    /** Fills {@code into[off, off + len)}; the caller has checked {@code len} against {@link #remaining()}. */
    void readFully(byte[] into, int off, int len) throws IOException {
        require(len);
        int done = 0;
        while (done < len) {
            if (bufferPos == bufferFill) {
                fill();
            }
            int n = Math.min(len - done, bufferFill - bufferPos);
            buffer.get(bufferPos, into, off + done, n);
            bufferPos += n;
            done += n;
        }
    }

    /**
     * A new array of the next {@code len} bytes (read as unsigned), refused before allocation when the range has
     * fewer or when it is more than {@code max}.
     */
    byte[] readBytes(long len, long max, String field) throws IOException {
        if (len < 0 || len > remaining()) {
            throw new CheckpointFormatException(file, null, what + ": " + field + " of " + Long.toUnsignedString(len)
                    + " bytes at byte " + position() + ", but only " + remaining() + " bytes remain");
        }
        if (len > max) {
            throw new CheckpointFormatException(file, null, what + ": " + field + " of " + len + " bytes at byte "
                    + position() + " is longer than the limit of " + max + " bytes");
        }
        byte[] out = new byte[(int) len];
        readFully(out, 0, out.length);
        return out;
    }

    /** Little-endian unsigned integer of {@code n} bytes (n ≤ 8; 8 bytes may come back negative: unsigned). */
    long readLittleEndian(int n) throws IOException {
        require(n);
        long v = 0;
        for (int i = 0; i < n; i++) {
            v |= (long) readUnsigned() << (8 * i);
        }
        return v;
    }

    private void require(long n) throws CheckpointFormatException {
        if (n > remaining()) {
            throw new CheckpointFormatException(file, null, what + " ends at byte " + end + " while " + n
                    + " more bytes were expected at byte " + position() + " (truncated?)");
        }
    }

    private void fill() throws IOException {
        bufferStart += bufferFill;
        bufferPos = 0;
        bufferFill = 0;
        int want = (int) Math.min(BUFFER_BYTES, end - bufferStart);
        buffer.clear().limit(want);
        channel.position(bufferStart);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new CheckpointFormatException(file, null, what + ": the file ends at byte " + buffer.position()
                        + bufferStart + " while " + buffer.remaining() + " more bytes were expected (truncated"
                        + " while being read?)");
            }
        }
        bufferFill = want;
    }
}
