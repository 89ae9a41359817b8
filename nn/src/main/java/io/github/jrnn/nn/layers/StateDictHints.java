package io.github.jrnn.nn.layers;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hints for a failed load, each given only when the names prove it:
 * <ul>
 *   <li>a renamed prefix: every unexpected key is a missing key with one leading prefix added, removed or
 *   replaced (a checkpoint of a parent module, of a child, of {@code nn.DataParallel}'s {@code module.}, or a
 *   child of another name); then no other hint is given;</li>
 *   <li>per submodule (the keys' common dotted prefix): bidirectional ({@code _reverse} weights only on one
 *   side), proj_size ({@code weight_hr}), num_layers (both sides have layers {@code 0..n-1}, with different n),
 *   and bias (one side has no bias at all for a submodule whose weights both sides have; a single missing bias
 *   next to others is not blamed on {@code bias=False}).</li>
 * </ul>
 */
final class StateDictHints {
    private static final Pattern LAYER = Pattern.compile("(?:weight|bias)_(?:ih|hh|hr)_l(\\d{1,6})(?:_reverse)?");

    private final List<String> own;
    private final List<String> given;
    private final List<String> missing;
    private final List<String> unexpected;

    private StateDictHints(List<String> own, List<String> given, List<String> missing, List<String> unexpected) {
        this.own = own;
        this.given = given;
        this.missing = missing;
        this.unexpected = unexpected;
    }

    static List<String> of(List<String> own, List<String> given, List<String> missing, List<String> unexpected) {
        StateDictHints h = new StateDictHints(own, given, missing, unexpected);
        String renamed = h.renamedPrefix();
        if (renamed != null) {
            return List.of(renamed);
        }
        List<String> hints = new ArrayList<>();
        Set<String> prefixes = new TreeSet<>();
        missing.forEach(k -> prefixes.add(prefix(k)));
        unexpected.forEach(k -> prefixes.add(prefix(k)));
        prefixes.forEach(p -> h.submoduleHints(p, hints));
        return hints;
    }

    /** The hint for one consistent rename of a leading prefix between the two key sets, or null. */
    private String renamedPrefix() {
        if (missing.isEmpty() || missing.size() != unexpected.size()) {
            return null;
        }
        Set<String> extra = new HashSet<>(unexpected);
        String first = missing.getFirst();
        List<Integer> cuts = new ArrayList<>(List.of(0)); // the model's prefix ends at the start or after a dot
        for (int dot = first.indexOf('.'); dot >= 0; dot = first.indexOf('.', dot + 1)) {
            cuts.add(dot + 1);
        }
        for (int i : cuts) {
            String to = first.substring(0, i);
            String rest = first.substring(i);
            for (String u : unexpected) {
                int cut = u.length() - rest.length();
                if (!u.endsWith(rest) || cut > 0 && u.charAt(cut - 1) != '.') {
                    continue;
                }
                String from = u.substring(0, cut);
                if (!from.equals(to) && missing.stream().allMatch(m -> m.startsWith(to)
                        && extra.contains(from + m.substring(to.length())))) {
                    return renameHint(from, to);
                }
            }
        }
        return null;
    }

    private static String renameHint(String checkpointPrefix, String modelPrefix) {
        if (modelPrefix.isEmpty()) {
            String stripped = checkpointPrefix.substring(0, checkpointPrefix.length() - 1);
            String source = checkpointPrefix.equals("module.") ? "nn.DataParallel or DistributedDataParallel,"
                    + " which adds 'module.' to every key (save model.module.state_dict() instead)"
                    : "a parent module";
            return "every key of the checkpoint has the prefix '" + checkpointPrefix + "' that the model's keys lack:"
                    + " it was saved from " + source + "; load stateDict.withPrefix(\"" + stripped + "\")";
        }
        if (checkpointPrefix.isEmpty()) {
            return "every key of the model has the prefix '" + modelPrefix + "' that the checkpoint's keys lack: the"
                    + " checkpoint holds only that submodule; load it into "
                    + modelPrefix.substring(0, modelPrefix.length() - 1) + ", or add the prefix to its keys";
        }
        return "the checkpoint's keys start with '" + checkpointPrefix + "' where the model's start with '"
                + modelPrefix + "' and are otherwise the same: a submodule has another name in the checkpoint;"
                + " rename one of them";
    }

    private void submoduleHints(String p, List<String> hints) {
        List<String> ownLeaves = leaves(own, p);
        List<String> givenLeaves = leaves(given, p);
        String where = p.isEmpty() ? "the module" : "'" + p + "'";
        sideOnly(ownLeaves, givenLeaves, l -> l.endsWith("_reverse"), hints,
                "the checkpoint has '_reverse' weights for " + where + ": it comes from a bidirectional module"
                        + " (bidirectional=True)",
                where + " is bidirectional but the checkpoint has no '_reverse' weights for it");
        sideOnly(ownLeaves, givenLeaves, l -> l.startsWith("weight_hr_l"), hints,
                "the checkpoint has 'weight_hr' weights for " + where + ": it comes from an LSTM with proj_size > 0",
                where + " is an LSTM with proj_size > 0 but the checkpoint has no 'weight_hr' weights for it");
        int ownLayers = layerCount(ownLeaves);
        int givenLayers = layerCount(givenLeaves);
        if (ownLayers > 0 && givenLayers > 0 && ownLayers != givenLayers) {
            hints.add(where + " has num_layers=" + ownLayers + " but the checkpoint has " + givenLayers
                    + " layers of weights for it (_l0 .. _l" + (givenLayers - 1) + ")");
        }
        Predicate<String> bias = l -> l.startsWith("bias");
        boolean ownWeights = ownLeaves.stream().anyMatch(bias.negate());
        boolean givenWeights = givenLeaves.stream().anyMatch(bias.negate());
        if (ownWeights && givenWeights) {
            sideOnly(ownLeaves, givenLeaves, bias, hints, "the checkpoint has biases for " + where + ": build "
                    + (p.isEmpty() ? "the module" : where) + " with bias=True", "the checkpoint has no biases for "
                    + where + ": build " + (p.isEmpty() ? "the module" : where) + " with bias=False");
        }
    }

    /** Adds {@code onlyGiven} when just the checkpoint has such leaves, {@code onlyOwn} when just the model has. */
    private static void sideOnly(List<String> ownLeaves, List<String> givenLeaves, Predicate<String> kind,
                                 List<String> hints, String onlyGiven, String onlyOwn) {
        boolean inOwn = ownLeaves.stream().anyMatch(kind);
        boolean inGiven = givenLeaves.stream().anyMatch(kind);
        if (inGiven && !inOwn) {
            hints.add(onlyGiven);
        } else if (inOwn && !inGiven) {
            hints.add(onlyOwn);
        }
    }

    /** n when the leaves name recurrent layers exactly 0 .. n-1, else 0. */
    private static int layerCount(List<String> leaves) {
        Set<Integer> layers = new HashSet<>();
        for (String l : leaves) {
            Matcher m = LAYER.matcher(l);
            if (m.matches()) {
                layers.add(Integer.parseInt(m.group(1)));
            }
        }
        for (int k = 0; k < layers.size(); k++) {
            if (!layers.contains(k)) {
                return 0;
            }
        }
        return layers.size();
    }

    private static List<String> leaves(List<String> keys, String prefix) {
        Set<String> out = new LinkedHashSet<>();
        for (String k : keys) {
            if (prefix(k).equals(prefix)) {
                out.add(prefix.isEmpty() ? k : k.substring(prefix.length() + 1));
            }
        }
        return List.copyOf(out);
    }

    private static String prefix(String key) {
        int dot = key.lastIndexOf('.');
        return dot < 0 ? "" : key.substring(0, dot);
    }
}
