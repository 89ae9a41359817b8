package io.github.jrnn.nn.tensor;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link Tensor#toString()} and {@link LongTensor#toString()}: PyTorch 1.13's {@code repr} of a float32 (or int64)
 * CPU tensor under the default print options
 * ({@code precision=4, threshold=1000, edgeitems=3, linewidth=80}), character for character.
 *
 * <p>The rules, from {@code torch/_tensor_str.py}:
 * <ul>
 *   <li>One element format for the whole tensor, chosen from its non-zero finite values (only the printed ones
 *       when summarised): all integral: {@code 1.} (scientific when max/min &gt; 1000 or max &gt; 1e8); otherwise
 *       {@code 0.1235} with 4 decimals, scientific {@code 1.2346e-05} when max/min &gt; 1000, max &gt; 1e8 or
 *       min &lt; 1e-4. Every element is right-aligned to the widest; NaN and infinities print as {@code nan},
 *       {@code inf}, {@code -inf}.</li>
 *   <li>Rows of the last dimension wrap at 80 columns; dimensions are nested in brackets, separated by as many
 *       newlines as the dimensions below them.</li>
 *   <li>More than 1000 elements: every dimension longer than 6 shows its first and last 3 entries around
 *       {@code ...}.</li>
 *   <li>Suffixes after the values: {@code size=(0, 3)} for an empty tensor that is not 1-D, then
 *       {@code grad_fn=<Name>} for the output of a recorded operation or {@code requires_grad=True} for a leaf
 *       that requires a gradient; a suffix that would pass column 80 starts a new line.</li>
 * </ul>
 * Decimal rounding is Python's: the exact binary value, half to even.
 */
final class TensorFormat {

    private static final int PRECISION = 4;
    private static final int THRESHOLD = 1000;
    private static final int EDGE_ITEMS = 3;
    private static final int LINE_WIDTH = 80;
    private static final String PREFIX = "tensor(";

    private final int[] shape;
    private final float[] data;   // the float32 elements, or null for an int64 tensor
    private final long[] longs;   // the int64 elements, or null for a float32 tensor
    private final boolean summarize;
    private boolean intMode = true;
    private boolean sciMode;
    private int maxWidth = 1;

    private TensorFormat(int[] shape, float[] data, long[] longs, int numel) {
        this.shape = shape;
        this.data = data;
        this.longs = longs;
        this.summarize = numel > THRESHOLD;
    }

    /**
     * The repr of an int64 tensor ({@link LongTensor}): each value as Python prints an int, right-aligned to the
     * widest printed one, with the float rules for nesting, wrapping and summaries; an empty tensor shows
     * {@code dtype=torch.int64} (int64 is not torch's default dtype).
     */
    static String reprLong(int[] shape, long[] data) {
        List<String> suffixes = new ArrayList<>();
        String body;
        if (data.length == 0) {
            if (shape.length != 1) {
                suffixes.add("size=" + Tensor.shapeTuple(shape));
            }
            suffixes.add("dtype=torch.int64");
            body = "[]";
        } else {
            TensorFormat f = new TensorFormat(shape, null, data, data.length);
            for (int i : f.printed()) {
                f.maxWidth = Math.max(f.maxWidth, Long.toString(data[i]).length());
            }
            body = f.nested(0, 0, PREFIX.length());
        }
        return withSuffixes(PREFIX + body, suffixes);
    }

    /**
     * The repr of a tensor with this shape and data.
     *
     * @param gradFn       the name of the operation that produced it, or null for a leaf
     * @param requiresGrad whether a leaf requires a gradient
     */
    static String repr(int[] shape, float[] data, String gradFn, boolean requiresGrad) {
        List<String> suffixes = new ArrayList<>();
        String body;
        if (data.length == 0) {
            if (shape.length != 1) {
                suffixes.add("size=" + Tensor.shapeTuple(shape));
            }
            body = "[]";
        } else {
            TensorFormat f = new TensorFormat(shape, data, null, data.length);
            f.chooseFormat();
            body = f.nested(0, 0, PREFIX.length());
        }
        if (gradFn != null) {
            suffixes.add("grad_fn=<" + gradFn + ">");
        } else if (requiresGrad) {
            suffixes.add("requires_grad=True");
        }
        return withSuffixes(PREFIX + body, suffixes);
    }

    private static String withSuffixes(String text, List<String> suffixes) {
        StringBuilder out = new StringBuilder(text);
        int lastLineLength = text.length() - text.lastIndexOf('\n') + 1; // as torch counts it
        for (String suffix : suffixes) {
            if (lastLineLength + suffix.length() + 2 > LINE_WIDTH) {
                out.append(",\n").append(" ".repeat(PREFIX.length())).append(suffix);
                lastLineLength = PREFIX.length() + suffix.length();
            } else {
                out.append(", ").append(suffix);
                lastLineLength += suffix.length() + 2;
            }
        }
        return out.append(')').toString();
    }

    /** Torch's {@code _Formatter}: int or fixed or scientific mode, and the common width, from the printed values. */
    private void chooseFormat() {
        List<Float> values = new ArrayList<>();
        for (int i : printed()) {
            values.add(data[i]);
        }
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        boolean any = false;
        for (float v : values) {
            if (Float.isFinite(v) && v != 0) {
                any = true;
                min = Math.min(min, Math.abs(v));
                max = Math.max(max, Math.abs(v));
                intMode &= v == Math.ceil(v);
            }
        }
        if (!any) {
            return; // nothing but zeros and non-finite values: int mode, width 1, as torch
        }
        sciMode = max / min > 1000 || max > 1e8 || !intMode && min < 1e-4;
        for (float v : values) {
            if (Float.isFinite(v) && v != 0) {
                int width = sciMode ? scientific(v).length() : intMode ? integral(v).length() + 1 : fixed(v).length();
                maxWidth = Math.max(maxWidth, width);
            }
        }
    }

    /** The flat indices of the values torch's {@code get_summarized_data} keeps, in row-major order. */
    private List<Integer> printed() {
        List<Integer> out = new ArrayList<>();
        collectPrinted(0, 0, out);
        return out;
    }

    private void collectPrinted(int d, int offset, List<Integer> out) {
        if (shape.length == 0) {
            out.add(0);
            return;
        }
        int stride = stride(d);
        for (int i : printedIndices(d)) {
            if (d == shape.length - 1) {
                out.add(offset + i);
            } else {
                collectPrinted(d + 1, offset + i * stride, out);
            }
        }
    }

    /** Indices of dimension d that are printed: all, or the edge items when summarising a long dimension. */
    private int[] printedIndices(int d) {
        int n = shape[d];
        if (!summarize || n <= 2 * EDGE_ITEMS) {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] edges = new int[2 * EDGE_ITEMS];
        for (int i = 0; i < EDGE_ITEMS; i++) {
            edges[i] = i;
            edges[EDGE_ITEMS + i] = n - EDGE_ITEMS + i;
        }
        return edges;
    }

    private int stride(int d) {
        int s = 1;
        for (int i = d + 1; i < shape.length; i++) {
            s *= shape[i];
        }
        return s;
    }

    /** Torch's {@code _tensor_str_with_formatter} for dimension d of the block at {@code offset}. */
    private String nested(int d, int offset, int indent) {
        if (shape.length == 0) {
            return element(0);
        }
        boolean elided = summarize && shape[d] > 2 * EDGE_ITEMS;
        List<String> parts = new ArrayList<>();
        int stride = stride(d);
        for (int i : printedIndices(d)) {
            if (elided && i == shape[d] - EDGE_ITEMS) {
                parts.add(d == shape.length - 1 ? " ..." : "...");
            }
            parts.add(d == shape.length - 1 ? element(offset + i) : nested(d + 1, offset + i * stride,
                    indent + 1));
        }
        if (d < shape.length - 1) {
            return "[" + String.join("," + "\n".repeat(shape.length - 1 - d) + " ".repeat(indent + 1), parts) + "]";
        }
        int perLine = Math.max(1, (LINE_WIDTH - indent) / (maxWidth + 2));
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < parts.size(); i += perLine) {
            lines.add(String.join(", ", parts.subList(i, Math.min(parts.size(), i + perLine))));
        }
        return "[" + String.join(",\n" + " ".repeat(indent + 1), lines) + "]";
    }

    /** Torch's {@code _Formatter.format}: element {@code flat}, right-aligned to the common width. */
    private String element(int flat) {
        String text;
        float v = longs == null ? data[flat] : 0f;
        if (longs != null) {
            text = Long.toString(longs[flat]);
        } else if (sciMode) {
            text = scientific(v);
        } else if (intMode) {
            text = integral(v) + (Float.isFinite(v) ? "." : "");
        } else {
            text = fixed(v);
        }
        return " ".repeat(Math.max(0, maxWidth - text.length())) + text;
    }

    /** Python's {@code '{:.0f}'.format(v)}. */
    private static String integral(float v) {
        return decimal(v, 0);
    }

    /** Python's {@code '{:.4f}'.format(v)}. */
    private static String fixed(float v) {
        return decimal(v, PRECISION);
    }

    private static String decimal(float v, int places) {
        if (!Float.isFinite(v)) {
            return nonFinite(v);
        }
        String digits = new BigDecimal(v).setScale(places, RoundingMode.HALF_EVEN).abs().toPlainString();
        return sign(v) + digits;
    }

    /** Python's {@code '{:.4e}'.format(v)}: {@code 1.2346e-05}, an exponent of at least two digits. */
    private static String scientific(float v) {
        if (!Float.isFinite(v)) {
            return nonFinite(v);
        }
        BigDecimal rounded = new BigDecimal(Math.abs((double) v)).round(new MathContext(PRECISION + 1,
                RoundingMode.HALF_EVEN));
        String digits = rounded.unscaledValue().toString();
        int exponent = v == 0 ? 0 : digits.length() - 1 - rounded.scale();
        String mantissa = (digits + "0".repeat(PRECISION + 1)).substring(0, PRECISION + 1);
        return sign(v) + mantissa.charAt(0) + "." + mantissa.substring(1) + "e" + (exponent < 0 ? "-" : "+")
                + String.format("%02d", Math.abs(exponent));
    }

    private static String sign(float v) {
        return Float.floatToRawIntBits(v) < 0 ? "-" : "";
    }

    private static String nonFinite(float v) {
        return Float.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
    }
}
