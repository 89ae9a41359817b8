package io.github.jrnn.nn.checkpoint;

import java.nio.ByteBuffer;

/**
 * Decodes one element of a {@link DType} from little-endian bytes: the one place that knows how each dtype's bits
 * become a float32 or a long. Shared by the safetensors reader and {@link StoredTensor}.
 */
final class ElementCodec {
    private ElementCodec() {
    }

    /**
     * The element at byte {@code index} of {@code bytes} (little-endian) as float32: F32 as is, F64 rounded to
     * nearest once, F16 and BF16 exactly. Only for floating-point dtypes.
     */
    static float floatAt(DType dtype, ByteBuffer bytes, int index) {
        return switch (dtype) {
            case F32 -> bytes.getFloat(index);
            case F64 -> (float) bytes.getDouble(index);
            case F16 -> Float.float16ToFloat(bytes.getShort(index));
            // bfloat16 is the high half of a float32: shifting its bits up is the exact conversion.
            case BF16 -> Float.intBitsToFloat((bytes.getShort(index) & 0xFFFF) << 16);
            default -> throw new IllegalArgumentException(dtype + " is not a floating-point dtype");
        };
    }

    /**
     * The element at byte {@code index} of {@code bytes} (little-endian) as a long, exact: signed for I64, I32, I16
     * and I8, unsigned for U8, and the stored byte for BOOL (checking it is 0 or 1 is the caller's business). Only
     * for integer dtypes.
     */
    static long longAt(DType dtype, ByteBuffer bytes, int index) {
        return switch (dtype) {
            case I64 -> bytes.getLong(index);
            case I32 -> bytes.getInt(index);
            case I16 -> bytes.getShort(index);
            case I8 -> bytes.get(index);
            case U8, BOOL -> bytes.get(index) & 0xFF;
            default -> throw new IllegalArgumentException(dtype + " is not an integer dtype");
        };
    }
}
