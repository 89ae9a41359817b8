package io.github.jrnn.nn.checkpoint;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes safetensors files of any size as sparse files: the header, then a data section whose bytes are zeros
 * (holes that take no disk space) except for the values given explicitly. Lets tests build files of many GiB in
 * milliseconds.
 */
final class SparseSafeTensors {
    private final Map<String, float[]> values = new LinkedHashMap<>();
    private final StringBuilder json = new StringBuilder("{");
    private long offset;
    private final Map<String, Long> begins = new LinkedHashMap<>();

    /** Appends an F32 tensor of this shape; its values are zeros unless {@code data} is given. */
    SparseSafeTensors f32(String name, float[] data, long... shape) {
        long numel = 1;
        for (long d : shape) {
            numel *= d;
        }
        long bytes = numel * Float.BYTES;
        if (json.length() > 1) {
            json.append(',');
        }
        StringBuilder dims = new StringBuilder();
        for (long d : shape) {
            dims.append(dims.isEmpty() ? "" : ",").append(d);
        }
        json.append('"').append(name).append("\":{\"dtype\":\"F32\",\"shape\":[").append(dims)
                .append("],\"data_offsets\":[").append(offset).append(',').append(offset + bytes).append("]}");
        begins.put(name, offset);
        if (data != null) {
            values.put(name, data);
        }
        offset += bytes;
        return this;
    }

    /** Writes the file; returns its length. */
    long write(Path file) throws IOException {
        byte[] header = (json + "}").getBytes(StandardCharsets.UTF_8);
        long dataStart = Long.BYTES + header.length;
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            ByteBuffer start = ByteBuffer.allocate((int) dataStart).order(ByteOrder.LITTLE_ENDIAN);
            start.putLong(header.length).put(header);
            raf.write(start.array());
            raf.setLength(dataStart + offset);
            for (Map.Entry<String, float[]> v : values.entrySet()) {
                ByteBuffer b = ByteBuffer.allocate(v.getValue().length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(v.getValue());
                raf.seek(dataStart + begins.get(v.getKey()));
                raf.write(b.array());
            }
            return raf.length();
        }
    }
}
