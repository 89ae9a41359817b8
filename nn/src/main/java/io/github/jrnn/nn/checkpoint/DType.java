package io.github.jrnn.nn.checkpoint;

/**
 * The element types jrnn reads from checkpoint files, named as in the safetensors format, with their size in bytes
 * and the {@code torch.dtype} each stands for. Float types convert to float32 ({@link SafeTensorsEntry#toTensor()},
 * {@link StoredTensor#toTensor()}), integer types to {@code long} ({@link SafeTensorsEntry#toLongs()},
 * {@link StoredTensor#toLongs()}).
 */
public enum DType {
    /** IEEE 754 binary32 ({@code torch.float32}). */
    F32(4, true),
    /** IEEE 754 binary64 ({@code torch.float64}); rounded to nearest float32 when read as a tensor. */
    F64(8, true),
    /** IEEE 754 binary16 ({@code torch.float16}); exact in float32. */
    F16(2, true),
    /** bfloat16, the upper half of a binary32 ({@code torch.bfloat16}); exact in float32. */
    BF16(2, true),
    /** Signed 64-bit integer ({@code torch.int64}, PyTorch's default integer type, e.g. sequence lengths). */
    I64(8, false),
    /** Signed 32-bit integer ({@code torch.int32}). */
    I32(4, false),
    /** Signed 16-bit integer ({@code torch.int16}). */
    I16(2, false),
    /** Signed 8-bit integer ({@code torch.int8}). */
    I8(1, false),
    /** Unsigned 8-bit integer ({@code torch.uint8}). */
    U8(1, false),
    /** Boolean stored as one byte, 0 or 1 ({@code torch.bool}). */
    BOOL(1, false);

    private final int byteSize;
    private final boolean floatingPoint;

    DType(int byteSize, boolean floatingPoint) {
        this.byteSize = byteSize;
        this.floatingPoint = floatingPoint;
    }

    /**
     * Bytes per element.
     *
     * @return the size of an element in bytes
     */
    public int byteSize() {
        return byteSize;
    }

    /**
     * True for F32, F64, F16 and BF16.
     *
     * @return whether the values are floating point
     */
    public boolean isFloatingPoint() {
        return floatingPoint;
    }

    /** The dtype with this safetensors name (e.g. {@code "F32"}), or null when jrnn does not know it. */
    static DType fromName(String name) {
        for (DType d : values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }
}
