package io.github.jrnn.nn.layers;

import io.github.jrnn.nn.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The comparison of a module's parameters with a state dict to load, and its report in PyTorch's words with
 * hints for the mistakes people make when moving checkpoints between model definitions.
 */
record StateDictCheck(List<String> missingKeys, List<String> unexpectedKeys, List<String> sizeMismatches) {

    static StateDictCheck compare(Map<String, Parameter> own, Map<String, Tensor> given) {
        List<String> missing = new ArrayList<>();
        List<String> mismatches = new ArrayList<>();
        own.forEach((name, p) -> {
            if (!given.containsKey(name)) {
                missing.add(name);
                return;
            }
            Tensor t = given.get(name);
            if (t == null) {
                mismatches.add("value for " + name + " is null");
            } else if (!Arrays.equals(t.shape(), p.shape())) {
                mismatches.add("size mismatch for " + name + ": copying a param with shape "
                        + Tensor.shapeString(t.shape()) + " from checkpoint, the shape in current model is "
                        + Tensor.shapeString(p.shape()) + ".");
            }
        });
        List<String> unexpected = given.keySet().stream().filter(k -> !own.containsKey(k)).toList();
        return new StateDictCheck(missing, unexpected, mismatches);
    }

    /** The report lines (each starting with a newline and a tab), empty when there is nothing to report. */
    String describe(boolean strict) {
        StringBuilder sb = new StringBuilder();
        if (strict && !missingKeys.isEmpty()) {
            sb.append("\n\tMissing key(s) in state_dict: ").append(quoted(missingKeys)).append(". ");
        }
        if (strict && !unexpectedKeys.isEmpty()) {
            sb.append("\n\tUnexpected key(s) in state_dict: ").append(quoted(unexpectedKeys)).append(". ");
        }
        sizeMismatches.forEach(m -> sb.append("\n\t").append(m));
        if (!sb.isEmpty()) {
            hints(strict).forEach(h -> sb.append("\n\thint: ").append(h));
        }
        return sb.toString();
    }

    private List<String> hints(boolean strict) {
        List<String> hints = new ArrayList<>();
        if (!strict) {
            return hints;
        }
        String prefix = commonPrefixOfRenamedKeys();
        if (prefix != null) {
            hints.add("every unexpected key is a missing key with the prefix '" + prefix + "': the checkpoint was"
                    + " saved from a parent module; strip the prefix or load it into the parent");
            return hints;
        }
        if (unexpectedKeys.stream().anyMatch(k -> k.endsWith("_reverse"))) {
            hints.add("the checkpoint has '_reverse' weights: it comes from a bidirectional module"
                    + " (bidirectional=True)");
        } else if (missingKeys.stream().anyMatch(k -> k.endsWith("_reverse"))) {
            hints.add("this module is bidirectional but the checkpoint has no '_reverse' weights");
        }
        if (unexpectedKeys.stream().anyMatch(k -> k.startsWith("weight_hr_l"))) {
            hints.add("the checkpoint has 'weight_hr' weights: it comes from an LSTM with proj_size > 0");
        } else if (missingKeys.stream().anyMatch(k -> k.startsWith("weight_hr_l"))) {
            hints.add("this LSTM has proj_size > 0 but the checkpoint has no 'weight_hr' weights");
        }
        if (hasLayerWeight(unexpectedKeys) || hasLayerWeight(missingKeys)) {
            hints.add("the checkpoint and this module have a different num_layers (compare the _l{k} suffixes)");
        }
        if (!unexpectedKeys.isEmpty() && unexpectedKeys.stream().allMatch(k -> k.startsWith("bias"))) {
            hints.add("the checkpoint has biases: build the module with bias=True");
        } else if (!missingKeys.isEmpty() && missingKeys.stream().allMatch(k -> k.startsWith("bias"))) {
            hints.add("the checkpoint has no biases: build the module with bias=False");
        }
        return hints;
    }

    /** The prefix P such that the unexpected keys are exactly P + each missing key, or null. */
    private String commonPrefixOfRenamedKeys() {
        if (missingKeys.isEmpty() || unexpectedKeys.size() != missingKeys.size()) {
            return null;
        }
        String first = unexpectedKeys.getFirst();
        if (!first.endsWith(missingKeys.getFirst())) {
            return null;
        }
        String prefix = first.substring(0, first.length() - missingKeys.getFirst().length());
        if (prefix.isEmpty()) {
            return null;
        }
        for (int i = 0; i < missingKeys.size(); i++) {
            if (!unexpectedKeys.get(i).equals(prefix + missingKeys.get(i))) {
                return null;
            }
        }
        return prefix;
    }

    /** True when a whole forward layer is missing or extra: every recurrent layer has a weight_ih_l{k}. */
    private static boolean hasLayerWeight(List<String> keys) {
        return keys.stream().anyMatch(k -> k.matches("weight_ih_l\\d+"));
    }

    private static String quoted(List<String> keys) {
        StringBuilder sb = new StringBuilder();
        for (String k : keys) {
            if (!sb.isEmpty()) {
                sb.append(", ");
            }
            sb.append('"').append(k).append('"');
        }
        return sb.toString();
    }
}
