package io.github.jrnn.nn.layers;

import io.github.jrnn.nn.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Base of every jrnn module, with the bookkeeping of {@code torch.nn.Module}: named parameters in registration
 * order, child modules, state dicts and the training flag.
 *
 * <p>Names: a module's own parameters are named as registered ({@code weight_ih_l0}); a child's parameters carry
 * the child's name and a dot ({@code rnn.weight_ih_l0}), exactly as PyTorch names them, so a state dict saved by
 * {@code torch.save(model.state_dict())} and converted to safetensors loads without renaming.
 *
 * <p>Printing: {@link #toString()} is PyTorch's {@code repr}, e.g. {@code GRU(5, 4, num_layers=2, bidirectional=True)};
 * a subclass describes its arguments in {@link #extraRepr()}.
 *
 * <p>The name: this class is named like {@code torch.nn.Module} on purpose, so it shares its simple name with
 * {@link java.lang.Module}, which every Java file imports implicitly. A single-type import wins over
 * {@code java.lang}, so import it by name:
 * <pre>{@code
 * import io.github.jrnn.nn.layers.Module;   // shadows java.lang.Module in this file
 * import io.github.jrnn.nn.layers.*;        // NOT enough on its own: "reference to Module is ambiguous"
 * }</pre>
 * With a wildcard import of {@code io.github.jrnn.nn.layers.*}, add the single-type import above or write
 * {@code io.github.jrnn.nn.layers.Module} in full. Code that only holds concrete modules ({@code GRU},
 * {@code Linear}) never names it.
 *
 * <p>Thread safety: the structure (which parameters and children exist) is fixed at construction. Forward passes
 * of the modules in this library only read parameters (in eval mode they neither replace nor write a parameter, and
 * leave its gradient alone) and may run from many threads at once, with or without gradient recording;
 * {@link #loadStateDict}, {@link #train()}/{@link #eval()}, {@code backward()} into the parameters and optimizer
 * steps write shared state and must not overlap them. To train while serving, train a separate copy.
 */
public abstract class Module {

    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** A module with no parameters or children yet, in training mode; subclasses register theirs. */
    protected Module() {
    }

    /**
     * Registers a parameter under {@code name}; PyTorch's registration order is the order of these calls.
     *
     * @param name the attribute name, non-empty and without a dot
     * @param parameter the parameter
     * @return {@code parameter}
     */
    protected final Parameter registerParameter(String name, Parameter parameter) {
        checkNewName(name);
        parameters.put(name, parameter);
        return parameter;
    }

    /**
     * Registers a child module whose parameters are then named {@code name + "." + childName}.
     *
     * @param <M> the child's class
     * @param name the attribute name, non-empty and without a dot
     * @param module the child, not null
     * @return {@code module}
     */
    protected final <M extends Module> M registerModule(String name, M module) {
        checkNewName(name);
        if (module == null) {
            throw new IllegalArgumentException("module '" + name + "' must not be null");
        }
        children.put(name, module);
        return module;
    }

    private void checkNewName(String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("a parameter or module name must be non-empty and contain no '.', got '"
                    + name + "'");
        }
        if (parameters.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException("attribute '" + name + "' already exists");
        }
    }

    /**
     * All parameters of this module and its children, depth first in registration order, keyed by their dotted
     * names. The map is unmodifiable; the parameters are live.
     *
     * @return name to parameter, unmodifiable
     */
    public final Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect("", out);
        return Collections.unmodifiableMap(out);
    }

    private void collect(String prefix, Map<String, Parameter> out) {
        parameters.forEach((name, p) -> out.put(prefix + name, p));
        children.forEach((name, child) -> child.collect(prefix + name + ".", out));
    }

    /**
     * The parameters of {@link #namedParameters()} in the same order.
     *
     * @return the parameters, unmodifiable
     */
    public final List<Parameter> parameters() {
        return List.copyOf(namedParameters().values());
    }

    /**
     * A snapshot of the parameters: name (as {@link #namedParameters()}) to a <em>copy</em> of the value. Unlike
     * PyTorch, where the tensors share storage with the module, changing a returned tensor does not change the
     * module; use {@link #namedParameters()} for live access.
     *
     * @return name to a copy of the value, in {@link #namedParameters()} order
     */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        namedParameters().forEach((name, p) -> out.put(name, p.value().detach().copy()));
        return out;
    }

    /**
     * Copies the tensors of {@code stateDict} into this module's parameters (the parameter objects keep their
     * identity), like {@code load_state_dict}.
     *
     * <p>Every problem is collected before anything is copied, and reported in one
     * {@link IllegalArgumentException} in PyTorch's format ({@code Error(s) in loading state_dict for LSTM:} then
     * the missing keys, the unexpected keys and each size mismatch) with hints for recognisable mistakes (a key
     * prefix, a bidirectional or projected checkpoint, another number of layers). A size mismatch is always an
     * error; missing and unexpected keys only when {@code strict}. When an exception is thrown nothing was copied.
     *
     * @param stateDict name to tensor, e.g. read from a checkpoint
     * @param strict whether missing and unexpected keys are errors
     * @return the missing and unexpected keys (both empty after a successful strict load)
     */
    public final LoadResult loadStateDict(Map<String, Tensor> stateDict, boolean strict) {
        if (stateDict == null) {
            throw new IllegalArgumentException("state_dict must not be null");
        }
        Map<String, Parameter> own = namedParameters();
        StateDictCheck check = StateDictCheck.compare(own, stateDict);
        String problems = check.describe(strict);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Error(s) in loading state_dict for " + getClass().getSimpleName()
                    + ":" + problems);
        }
        own.forEach((name, p) -> {
            Tensor t = stateDict.get(name);
            if (t != null) {
                System.arraycopy(t.data(), 0, p.data(), 0, p.numel());
                p.markModified();
            }
        });
        return new LoadResult(check.missingKeys(), check.unexpectedKeys());
    }

    /**
     * Sets training mode on this module and its children (dropout active); returns this module.
     *
     * @return this module
     */
    public Module train() {
        return train(true);
    }

    /**
     * Sets training mode ({@code true}) or evaluation mode ({@code false}) on this module and its children.
     *
     * @param mode true for training, false for evaluation
     * @return this module
     */
    public Module train(boolean mode) {
        training = mode;
        children.values().forEach(c -> c.train(mode));
        return this;
    }

    /**
     * Sets evaluation mode (dropout is the identity), like {@code module.eval()}; returns this module.
     *
     * @return this module
     */
    public Module eval() {
        return train(false);
    }

    /**
     * True in training mode; a new module starts in training mode, as in PyTorch.
     *
     * @return whether this module is in training mode
     */
    public boolean isTraining() {
        return training;
    }

    /**
     * The module as PyTorch's {@code repr} prints it: the class name, then {@link #extraRepr()} in parentheses
     * ({@code GRU(5, 4, num_layers=2, bidirectional=True)}); a module with children lists its extra lines and then
     * each child as {@code (name): repr} on its own line, indented by two spaces per level:
     * <pre>
     * Tagger(
     *   (lstm): LSTM(3, 4)
     *   (head): Linear(in_features=4, out_features=2, bias=True)
     * )
     * </pre>
     */
    @Override
    public String toString() {
        String extra = extraRepr();
        List<String> lines = new ArrayList<>(extra.isEmpty() ? List.of() : List.of(extra.split("\n", -1)));
        int extraLines = lines.size();
        children.forEach((name, child) -> lines.add("(" + name + "): " + indentFollowingLines(child.toString())));
        String name = getClass().getSimpleName().isEmpty() ? getClass().getName() : getClass().getSimpleName();
        if (lines.isEmpty()) {
            return name + "()";
        }
        if (extraLines == 1 && children.isEmpty()) {
            return name + "(" + lines.get(0) + ")";
        }
        return name + "(\n  " + String.join("\n  ", lines) + "\n)";
    }

    /** Indents every line but the first by two spaces (PyTorch's {@code _addindent(s, 2)}). */
    private static String indentFollowingLines(String s) {
        return s.replace("\n", "\n  ");
    }

    /**
     * The module's own arguments as PyTorch's {@code extra_repr} writes them, without the class name: only the
     * arguments that differ from their defaults, except where PyTorch always prints one (e.g.
     * {@code in_features=3, out_features=4, bias=True}). Empty by default; write values with
     * {@link #repr(boolean)} and {@link #repr(double)} to spell them as Python does.
     *
     * @return the text between the parentheses of {@link #toString()}; may span several lines
     */
    protected String extraRepr() {
        return "";
    }

    /**
     * Python's spelling of a boolean, for {@link #extraRepr()}.
     *
     * @param value the value
     * @return {@code True} or {@code False}
     */
    protected static String repr(boolean value) {
        return PythonRepr.of(value);
    }

    /**
     * Python's {@code repr} of a float, for {@link #extraRepr()}: the shortest digits that round-trip, positional
     * from {@code 0.0001} to below {@code 1e16}, otherwise with an exponent ({@code 0.5}, {@code 1e-05}).
     *
     * @param value the value
     * @return the text {@code repr(value)} gives in Python
     */
    protected static String repr(double value) {
        return PythonRepr.of(value);
    }

    /**
     * The missing and unexpected keys of a {@link #loadStateDict} call, in state-dict order.
     *
     * @param missingKeys the module's parameters the state dict did not have
     * @param unexpectedKeys the state dict's keys that are no parameter of the module
     */
    public record LoadResult(List<String> missingKeys, List<String> unexpectedKeys) {
        /**
         * Copies both lists, unmodifiable.
         *
         * @param missingKeys the module's parameters the state dict did not have
         * @param unexpectedKeys the state dict's keys that are no parameter of the module
         */
        public LoadResult {
            missingKeys = List.copyOf(missingKeys);
            unexpectedKeys = List.copyOf(unexpectedKeys);
        }
    }
}
