package io.github.jrnn.nn.checkpoint;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.github.jrnn.nn.tensor.Tensor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a safetensors file (see {@link SafeTensors} for the format): float32 tensors (F32), integer arrays such as
 * sequence lengths (I64), tensors read from any checkpoint in their stored dtype ({@link StoredTensor}) and string
 * metadata, in the order they were added.
 *
 * <p>The header is padded with spaces so the data section starts at a multiple of 8 bytes. {@link #write} is
 * atomic: it writes a temporary file next to the target, forces it to the device, and renames it over the target
 * in one step; when anything fails the temporary file is deleted and an existing target is left as it was. If the
 * JVM dies during a write (killed, power loss) the target is still the old file, complete, and a hidden
 * {@code .<name>.<random>.tmp} file may be left next to it; it never has the target's name, so it is never read
 * as the checkpoint, and it may be deleted.
 *
 * <pre>{@code
 * new SafeTensorsWriter()
 *         .putMetadata("module", "GRU")
 *         .putTensor("weight_ih_l0", w)
 *         .putLongs("lengths", new long[] {5, 3}, 2)
 *         .write(Path.of("gru.safetensors"));
 * }</pre>
 *
 * <p>Tensors and arrays are not copied when added: their values are the ones they hold when {@link #write} runs.
 *
 * <p>Thread safety: a writer is not thread-safe (build and write it in one thread), and the tensors it writes must
 * not change during {@link #write}. Several writers may write different targets at once; two writes of the same
 * target at once each write their own temporary file and the last rename wins, so the target is always one
 * complete file.
 */
public final class SafeTensorsWriter {
    private static final JsonFactory JSON = new JsonFactory();
    private static final int CHUNK_BYTES = 1 << 16;

    /** An empty writer: no tensors, no metadata. */
    public SafeTensorsWriter() {
    }

    /**
     * A tensor to write: float data (F32), long data (I64), or a stored tensor written in its own dtype; exactly
     * one non-null.
     */
    private record Item(String name, int[] shape, float[] floats, long[] longs, StoredTensor stored) {
        DType dtype() {
            return stored != null ? stored.dtype() : floats != null ? DType.F32 : DType.I64;
        }

        long numel() {
            return stored != null ? stored.numel() : floats != null ? floats.length : longs.length;
        }
    }

    /** The steps of a write, in order: the header, each 64 KiB data chunk, the force to the device, the rename. */
    enum WriteStep { HEADER, CHUNK, FORCE, MOVE }

    /**
     * Observes a write: called after the header and after each data chunk is written (with the bytes written so
     * far), and just before the force and before the rename (with the file's full length). Lets tests inject a
     * failure, or kill the JVM, at every step.
     */
    interface WriteProgress {
        void step(WriteStep step, long bytes) throws IOException;
    }

    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final List<Item> items = new ArrayList<>();
    private final Set<String> names = new HashSet<>();

    /**
     * Adds one metadata entry (a later value for the same key replaces the earlier one).
     *
     * @param key the key
     * @param value the value
     * @return this writer
     */
    public SafeTensorsWriter putMetadata(String key, String value) {
        if (key == null || value == null) {
            throw new IllegalArgumentException("metadata key and value must not be null, got " + key + " = "
                    + value);
        }
        metadata.put(key, value);
        return this;
    }

    /**
     * Adds every entry of {@code entries} as metadata.
     *
     * @param entries key to value
     * @return this writer
     */
    public SafeTensorsWriter putMetadata(Map<String, String> entries) {
        entries.forEach(this::putMetadata);
        return this;
    }

    /**
     * Adds a float32 tensor under {@code name}.
     *
     * @param name the tensor's name, unique in the file
     * @param tensor the values, stored as F32
     * @return this writer
     */
    public SafeTensorsWriter putTensor(String name, Tensor tensor) {
        checkName(name);
        if (tensor == null) {
            throw new IllegalArgumentException("tensor '" + name + "' must not be null");
        }
        items.add(new Item(name, tensor.shape(), tensor.data(), null, null));
        return this;
    }

    /**
     * Adds a tensor read from a checkpoint ({@link StateDicts}) in its stored dtype, shape and bits: the elements in
     * row-major order whatever its strides (converting a file to safetensors keeps every value exactly).
     *
     * @param name the tensor's name in the file
     * @param tensor the tensor, written in its stored dtype with its bits unchanged
     * @return this writer
     */
    public SafeTensorsWriter putTensor(String name, StoredTensor tensor) {
        checkName(name);
        if (tensor == null) {
            throw new IllegalArgumentException("tensor '" + name + "' must not be null");
        }
        items.add(new Item(name, tensor.shape(), null, null, tensor));
        return this;
    }

    /**
     * Adds an I64 tensor of the given shape (e.g. {@code lengths} with shape {@code (N)}).
     *
     * @param name the tensor's name, unique in the file
     * @param values the values, row-major
     * @param shape the dimensions
     * @return this writer
     * @throws IllegalArgumentException when {@code values.length} is not the product of {@code shape}
     */
    public SafeTensorsWriter putLongs(String name, long[] values, int... shape) {
        checkName(name);
        if (values == null) {
            throw new IllegalArgumentException("values of '" + name + "' must not be null");
        }
        int numel = Tensor.checkedNumel(shape);
        if (numel != values.length) {
            throw new IllegalArgumentException("'" + name + "': shape " + Tensor.shapeString(shape) + " holds "
                    + numel + " elements, but values has " + values.length);
        }
        items.add(new Item(name, shape.clone(), null, values, null));
        return this;
    }

    private void checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("tensor name must be a non-empty string, got "
                    + (name == null ? "null" : "''"));
        }
        if (SafeTensorsHeader.METADATA_KEY.equals(name)) {
            throw new IllegalArgumentException("'" + name + "' is reserved for metadata and cannot name a tensor");
        }
        if (!names.add(name)) {
            throw new IllegalArgumentException("duplicate tensor name '" + name + "'");
        }
    }

    /**
     * Writes the file atomically (temporary file in the same directory, forced to disk, then renamed over
     * {@code target}). On failure nothing is left behind and an existing {@code target} is unchanged.
     *
     * @param target the file to write
     * @throws IOException when the directory does not exist, is not writable, the disk is full, or the file system
     *                     cannot rename atomically
     */
    public void write(Path target) throws IOException {
        write(target, (step, bytes) -> { });
    }

    void write(Path target, WriteProgress progress) throws IOException {
        Path absolute = target.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            throw new IOException(target + ": is a directory, cannot write a safetensors file over it");
        }
        byte[] header = header();
        Path dir = absolute.getParent();
        // A hidden sibling with a random suffix: CREATE_NEW never reuses someone else's file, and the same
        // directory keeps the final rename on one file system, where it can be atomic.
        Path temp = dir.resolve("." + absolute.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current()
                .nextLong()) + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                long written = writeContent(ch, header, progress);
                progress.step(WriteStep.FORCE, written);
                // Without the force, a crash after the rename could leave the new name pointing at unwritten data.
                ch.force(true);
                progress.step(WriteStep.MOVE, written);
            }
            Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (Throwable failure) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException cleanup) {
                failure.addSuppressed(cleanup);
            }
            throw failure;
        }
    }

    /**
     * The whole file's content in memory, for a checkpoint that travels as bytes (an object store, a message, a
     * serialised model handle) rather than as a file.
     *
     * @return the safetensors bytes, as {@link #write} would put in the file
     * @throws IOException when the content does not fit one array (2 GiB): write a file instead
     */
    public byte[] toBytes() throws IOException {
        byte[] header = header();
        long total = header.length;
        for (Item item : items) {
            total += item.numel() * item.dtype().byteSize();
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IOException("the checkpoint needs " + total + " bytes, more than one Java array holds;"
                    + " write it to a file with write(Path) instead");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) total);
        writeContent(Channels.newChannel(out), header, (step, bytes) -> { });
        return out.toByteArray();
    }

    /** Writes the header, then every tensor's data in order; returns the bytes written. */
    private long writeContent(WritableByteChannel ch, byte[] header, WriteProgress progress) throws IOException {
        writeFully(ch, ByteBuffer.wrap(header));
        long written = header.length;
        progress.step(WriteStep.HEADER, written);
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (Item item : items) {
            written = writeData(ch, chunk, item, written, progress);
        }
        return written;
    }

    private static long writeData(WritableByteChannel ch, ByteBuffer chunk, Item item, long written,
                                  WriteProgress progress)
            throws IOException {
        if (item.stored != null) {
            byte[] bytes = item.stored.toBytes();
            writeFully(ch, ByteBuffer.wrap(bytes));
            written += bytes.length;
            progress.step(WriteStep.CHUNK, written);
            return written;
        }
        int size = item.dtype().byteSize();
        int perChunk = CHUNK_BYTES / size;
        int numel = (int) item.numel();
        for (int done = 0; done < numel; ) {
            int count = Math.min(perChunk, numel - done);
            chunk.clear();
            if (item.floats != null) {
                chunk.asFloatBuffer().put(item.floats, done, count);
            } else {
                chunk.asLongBuffer().put(item.longs, done, count);
            }
            chunk.limit(count * size);
            writeFully(ch, chunk);
            written += (long) count * size;
            progress.step(WriteStep.CHUNK, written);
            done += count;
        }
        return written;
    }

    private static void writeFully(WritableByteChannel ch, ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            ch.write(src);
        }
    }

    /** The length field and the JSON header, padded with spaces to a multiple of 8 bytes. */
    private byte[] header() throws IOException {
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(json)) {
            g.writeStartObject();
            if (!metadata.isEmpty()) {
                g.writeObjectFieldStart(SafeTensorsHeader.METADATA_KEY);
                for (Map.Entry<String, String> e : metadata.entrySet()) {
                    g.writeStringField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
            }
            long offset = 0;
            for (Item item : items) {
                long bytes = item.numel() * item.dtype().byteSize();
                g.writeObjectFieldStart(item.name);
                g.writeStringField("dtype", item.dtype().name());
                g.writeArrayFieldStart("shape");
                for (int d : item.shape) {
                    g.writeNumber(d);
                }
                g.writeEndArray();
                g.writeArrayFieldStart("data_offsets");
                g.writeNumber(offset);
                g.writeNumber(offset + bytes);
                g.writeEndArray();
                g.writeEndObject();
                offset += bytes;
            }
            g.writeEndObject();
        }
        int padding = (8 - json.size() % 8) % 8;
        for (int i = 0; i < padding; i++) {
            json.write(' ');
        }
        if (json.size() > SafeTensorsHeader.MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("the header would be " + json.size() + " bytes, more than the "
                    + SafeTensorsHeader.MAX_HEADER_BYTES + " a safetensors reader accepts (too much metadata?)");
        }
        ByteBuffer out = ByteBuffer.allocate(Long.BYTES + json.size()).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(json.size()).put(json.toByteArray());
        return out.array();
    }
}
