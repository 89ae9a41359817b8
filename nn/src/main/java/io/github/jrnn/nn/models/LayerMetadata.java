package io.github.jrnn.nn.models;

import io.github.jrnn.nn.checkpoint.CheckpointFormatException;
import io.github.jrnn.nn.layers.Flatten;
import io.github.jrnn.nn.layers.Identity;
import io.github.jrnn.nn.layers.LayerNorm;
import io.github.jrnn.nn.layers.LogSoftmax;
import io.github.jrnn.nn.layers.Module;
import io.github.jrnn.nn.layers.ReLU;
import io.github.jrnn.nn.layers.Sigmoid;
import io.github.jrnn.nn.layers.Softmax;
import io.github.jrnn.nn.layers.Tanh;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * {@link ModuleMetadata}'s translation for the normalisation and activation layers, spelled as
 * {@code tools/export_torch.py} spells them:
 * <pre>
 * LayerNorm    normalized_shape = 3,4 (the dimensions, comma-separated)   eps = 1e-05   elementwise_affine = true
 * Softmax, LogSoftmax   dim            Flatten   start_dim, end_dim       Tanh, ReLU, Sigmoid, Identity   none
 * </pre>
 * A missing argument means PyTorch's default (Softmax and LogSoftmax have none: dim is required, as jrnn's
 * constructors require it).
 */
final class LayerMetadata {

    private LayerMetadata() {
    }

    /** True for the modules this class describes. */
    static boolean isLayer(Module module) {
        return module instanceof LayerNorm || module instanceof Tanh || module instanceof ReLU
                || module instanceof Sigmoid || module instanceof Softmax || module instanceof LogSoftmax
                || module instanceof Identity || module instanceof Flatten;
    }

    /** A new layer of class {@code kind} from the arguments in {@code meta}. */
    static Module build(CheckpointMetadata meta, String kind) throws CheckpointFormatException {
        return switch (kind) {
            case "LayerNorm" -> {
                meta.checkKnownKeys(kind, Set.of("normalized_shape", "eps", "elementwise_affine"));
                yield new LayerNorm(normalizedShape(meta), meta.doubleValue("eps", LayerNorm.DEFAULT_EPS, 0.0,
                        Double.MAX_VALUE), meta.boolValue("elementwise_affine", true), null);
            }
            case "Softmax", "LogSoftmax" -> {
                meta.checkKnownKeys(kind, Set.of("dim"));
                int dim = meta.requiredInt("dim", Integer.MIN_VALUE);
                yield kind.equals("Softmax") ? new Softmax(dim) : new LogSoftmax(dim);
            }
            case "Flatten" -> {
                meta.checkKnownKeys(kind, Set.of("start_dim", "end_dim"));
                yield new Flatten(meta.intValue("start_dim", Flatten.DEFAULT_START_DIM, Integer.MIN_VALUE),
                        meta.intValue("end_dim", Flatten.DEFAULT_END_DIM, Integer.MIN_VALUE));
            }
            default -> {
                meta.checkKnownKeys(kind, Set.of());
                yield switch (kind) {
                    case "Tanh" -> new Tanh();
                    case "ReLU" -> new ReLU();
                    case "Sigmoid" -> new Sigmoid();
                    case "Identity" -> new Identity();
                    default -> throw new CheckpointFormatException(meta.file(), null, "metadata 'module' is '"
                            + kind + "', which is no layer jrnn builds");
                };
            }
        };
    }

    private static int[] normalizedShape(CheckpointMetadata meta) throws CheckpointFormatException {
        String raw = meta.required("normalized_shape", "the normalised dimensions, comma-separated, e.g. 3,4");
        String[] parts = raw.split(",", -1);
        int[] shape = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                shape[i] = Integer.parseInt(parts[i].strip());
            } catch (NumberFormatException e) {
                throw new CheckpointFormatException(meta.file(), null, "metadata 'normalized_shape' must be"
                        + " comma-separated dimensions >= 0 (e.g. 3,4), got '" + raw + "'");
            }
            if (shape[i] < 0) {
                throw new CheckpointFormatException(meta.file(), null, "metadata 'normalized_shape' must be"
                        + " comma-separated dimensions >= 0 (e.g. 3,4), got '" + raw + "'");
            }
        }
        return shape;
    }

    /** The class and every constructor argument of a layer for which {@link #isLayer} holds. */
    static Map<String, String> describe(Module module) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("module", module.getClass().getSimpleName());
        switch (module) {
            case LayerNorm norm -> {
                StringJoiner dims = new StringJoiner(",");
                for (int d : norm.normalizedShape()) {
                    dims.add(Integer.toString(d));
                }
                m.put("normalized_shape", dims.toString());
                m.put("eps", Double.toString(norm.eps()));
                m.put("elementwise_affine", Boolean.toString(norm.elementwiseAffine()));
            }
            case Softmax softmax -> m.put("dim", Integer.toString(softmax.dim()));
            case LogSoftmax logSoftmax -> m.put("dim", Integer.toString(logSoftmax.dim()));
            case Flatten flatten -> {
                m.put("start_dim", Integer.toString(flatten.startDim()));
                m.put("end_dim", Integer.toString(flatten.endDim()));
            }
            default -> {
                // Tanh, ReLU, Sigmoid, Identity: no arguments
            }
        }
        return m;
    }
}
