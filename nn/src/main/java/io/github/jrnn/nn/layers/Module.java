package io.github.jrnn.nn.layers;

import io.github.jrnn.nn.checkpoint.StateDict;
import io.github.jrnn.nn.tensor.LongTensor;
import io.github.jrnn.nn.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Base of every jrnn module, with the bookkeeping of {@code torch.nn.Module}: named parameters and buffers in
 * registration order, child modules, state dicts and the training flag.
 *
 * <p>Names: a module's own parameters and buffers are named as registered ({@code weight_ih_l0}); a child's carry
 * the child's name and a dot ({@code encoder.rnn.weight_ih_l0}), exactly as PyTorch names them, so the file of
 * {@code torch.save(model.state_dict(), "m.pt")} loads without renaming into a Java class that registers the same
 * children under the same names:
 * <pre>{@code
 * final class CharModel extends Module {
 *     final Embedding embed = registerModule("embed", new Embedding(65, 32));
 *     final LSTM lstm = registerModule("lstm", LSTM.builder(32, 64).numLayers(2).batchFirst(true).build());
 *     final Linear head = registerModule("head", new Linear(64, 65));
 * }
 * new CharModel().loadStateDict(StateDicts.read(Path.of("m.pt")), true);
 * }</pre>
 *
 * <p>State: parameters ({@link #registerParameter}, trained), buffers ({@link #registerBuffer}, saved and loaded
 * but not trained) and children ({@link #registerModule}). A parameter registered under two names is tied: one
 * value, two state-dict names, as in PyTorch.
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
 * <p>Thread safety: the structure (which parameters, buffers and children exist) is meant to be built in the
 * constructor and not changed afterwards. Forward passes
 * of the modules in this library only read parameters (in eval mode they neither replace nor write a parameter, and
 * leave its gradient alone) and may run from many threads at once, with or without gradient recording;
 * {@link #loadStateDict}, {@link #train()}/{@link #eval()}, {@code backward()} into the parameters and optimizer
 * steps write shared state and must not overlap them. To train while serving, train a separate copy.
 */
public abstract class Module {

    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    /** Float buffers are {@link Tensor}s, integer buffers {@link LongTensor}s; one map keeps torch's order. */
    private final Map<String, Object> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** A module with no parameters, buffers or children yet, in training mode; subclasses register theirs. */
    protected Module() {
    }

    /**
     * Registers a parameter under {@code name}, like {@code register_parameter} (or assigning an
     * {@code nn.Parameter} attribute); PyTorch's registration order is the order of these calls. Registering one
     * {@code Parameter} under two names ties them (e.g. a language model's output weight and its embedding, or
     * one name here and another in a child): both names are in the state dict, a load writes the parameter once
     * and refuses a state dict that gives the two names different values, and {@link #parameters()} lists it
     * once.
     *
     * @param name the attribute name, non-empty and without a dot
     * @param parameter the parameter, not null
     * @return {@code parameter}
     * @throws IllegalArgumentException when the name is taken, empty or dotted, or the parameter is null
     */
    public final Parameter registerParameter(String name, Parameter parameter) {
        checkNewName(name);
        if (parameter == null) {
            throw new IllegalArgumentException("parameter '" + name + "' must not be null");
        }
        parameters.put(name, parameter);
        return parameter;
    }

    /**
     * Registers a float buffer, like {@code register_buffer(name, tensor)}: state that is saved and loaded with
     * the state dict but not trained (not in {@link #parameters()}, never given a gradient), e.g. a fixed scale
     * or running statistics. The tensor is held, not copied; loading writes into it and moves its
     * {@link Tensor#version()} on.
     *
     * @param name the attribute name, non-empty and without a dot
     * @param value the buffer, a tensor that does not require a gradient
     * @return {@code value}
     * @throws IllegalArgumentException when the name is taken, empty or dotted, or the value is null or requires
     *                                  a gradient
     */
    public final Tensor registerBuffer(String name, Tensor value) {
        checkNewName(name);
        if (value == null || value.requiresGrad()) {
            throw new IllegalArgumentException("buffer '" + name + "' must be a tensor that does not require a"
                    + " gradient (buffers are not trained; register a Parameter instead), got "
                    + (value == null ? "null" : "a tensor requiring a gradient"));
        }
        buffers.put(name, value);
        return value;
    }

    /**
     * Registers an integer buffer (torch {@code int64}, e.g. {@code num_batches_tracked} or a table of token
     * ids): in the state dict with its integer values, loaded from integer tensors only, never trained.
     *
     * @param name the attribute name, non-empty and without a dot
     * @param value the buffer, held (not copied)
     * @return {@code value}
     * @throws IllegalArgumentException when the name is taken, empty or dotted, or the value is null
     */
    public final LongTensor registerBuffer(String name, LongTensor value) {
        checkNewName(name);
        if (value == null) {
            throw new IllegalArgumentException("buffer '" + name + "' must not be null");
        }
        buffers.put(name, value);
        return value;
    }

    /**
     * Registers a child module whose parameters and buffers are then named {@code name + "." + theirName}, like
     * assigning a module attribute in PyTorch.
     *
     * @param <M> the child's class
     * @param name the attribute name, non-empty and without a dot
     * @param module the child, not null and not this module
     * @return {@code module}
     * @throws IllegalArgumentException when the name is taken, empty or dotted, or the module is null or this one
     */
    public final <M extends Module> M registerModule(String name, M module) {
        checkNewName(name);
        if (module == null || module == this) {
            throw new IllegalArgumentException("module '" + name + "' must be another module, got "
                    + (module == null ? "null" : "the module itself"));
        }
        children.put(name, module);
        return module;
    }

    private void checkNewName(String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("a parameter, buffer or module name must be non-empty and contain no"
                    + " '.', got '" + name + "'");
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException("attribute '" + name + "' already exists");
        }
    }

    /**
     * The direct children by attribute name, in registration order, like {@code named_children()}.
     *
     * @return name to child module, unmodifiable
     */
    public final Map<String, Module> namedChildren() {
        return Collections.unmodifiableMap(children);
    }

    /**
     * All parameters of this module and its descendants, depth first in registration order, keyed by their dotted
     * names, like {@code named_parameters()}: a tied parameter appears once, under its first name. The map is
     * unmodifiable; the parameters are live.
     *
     * @return name to parameter, unmodifiable
     */
    public final Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        Set<Parameter> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (StateTarget t : stateTargets()) {
            if (t.parameter() != null && seen.add(t.parameter())) {
                out.put(t.name(), t.parameter());
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * The parameters of {@link #namedParameters()} in the same order, each once: what an optimizer trains.
     *
     * @return the parameters, unmodifiable
     */
    public final List<Parameter> parameters() {
        return List.copyOf(namedParameters().values());
    }

    /**
     * The float buffers of this module and its descendants by dotted name, like {@code named_buffers()}; live.
     *
     * @return name to buffer, unmodifiable
     */
    public final Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        stateTargets().stream().filter(t -> t.parameter() == null && t.floats() != null)
                .forEach(t -> out.put(t.name(), t.floats()));
        return Collections.unmodifiableMap(out);
    }

    /**
     * The integer buffers of this module and its descendants by dotted name; live.
     *
     * @return name to integer buffer, unmodifiable
     */
    public final Map<String, LongTensor> namedIntegerBuffers() {
        Map<String, LongTensor> out = new LinkedHashMap<>();
        stateTargets().stream().filter(t -> t.longs() != null).forEach(t -> out.put(t.name(), t.longs()));
        return Collections.unmodifiableMap(out);
    }

    /**
     * Every name of the state dict with what it loads into, in PyTorch's {@code state_dict()} order: for each
     * module depth first, its parameters, then its buffers, then its children; a tied parameter under each name.
     */
    final List<StateTarget> stateTargets() {
        List<StateTarget> out = new ArrayList<>();
        collect("", out, Collections.newSetFromMap(new IdentityHashMap<>()));
        return out;
    }

    private void collect(String prefix, List<StateTarget> out, Set<Module> path) {
        if (!path.add(this)) {
            throw new IllegalStateException("module " + getClass().getSimpleName() + " is its own descendant at '"
                    + prefix + "'; a module tree has no cycles");
        }
        parameters.forEach((name, p) -> out.add(StateTarget.of(prefix + name, p)));
        buffers.forEach((name, b) -> out.add(StateTarget.ofBuffer(prefix + name, b)));
        children.forEach((name, child) -> child.collect(prefix + name + ".", out, path));
        path.remove(this);
    }

    /**
     * A snapshot of the float state: every parameter name (a tied parameter under each of its names) and every
     * float buffer, mapped to a <em>copy</em> of the value, in PyTorch's {@code state_dict()} order. Integer
     * buffers are not in this float32 map: see {@link #namedIntegerBuffers()}, which checkpoints save beside it.
     * Unlike PyTorch, where the tensors share storage with the module, changing a returned tensor does not change
     * the module; use {@link #namedParameters()} for live access.
     *
     * @return name to a copy of the value
     */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (StateTarget t : stateTargets()) {
            if (t.floats() != null) {
                out.put(t.name(), t.floats().detach().copy());
            }
        }
        return out;
    }

    /**
     * Copies the float32 tensors of {@code stateDict} into this module's parameters and float buffers (which keep
     * their identity), like {@code load_state_dict}. Integer buffers are not expected in this map (as
     * {@link #stateDict()} does not hold them); load them with {@link #loadStateDict(StateDict, boolean)}.
     *
     * <p>Every problem is collected before anything is copied and reported in one
     * {@link IllegalArgumentException} in PyTorch's format ({@code Error(s) in loading state_dict for LSTM:} then
     * the missing keys, the unexpected keys, each size or dtype mismatch, and tied names given different values),
     * with hints where the evidence names the mistake (a key prefix such as DataParallel's {@code module.}, a
     * submodule's bias, num_layers, bidirectional or proj_size). Size and dtype mismatches are always errors;
     * missing and unexpected keys only when {@code strict}. When an exception is thrown nothing was copied.
     *
     * @param stateDict name to tensor, e.g. another module's {@link #stateDict()}
     * @param strict whether missing and unexpected keys are errors
     * @return the missing and unexpected keys (both empty after a successful strict load)
     * @throws IllegalArgumentException listing every problem
     */
    public final LoadResult loadStateDict(Map<String, Tensor> stateDict, boolean strict) {
        if (stateDict == null) {
            throw new IllegalArgumentException("state_dict must not be null");
        }
        return StateDictLoading.load(this, StateDictLoading.fromTensors(stateDict), strict, true);
    }

    /**
     * Loads a state dict read from a checkpoint file, e.g.
     * {@code model.loadStateDict(StateDicts.read(Path.of("m.pt")), true)}: parameters and float buffers from
     * floating tensors (F32 as they are, F16 and BF16 exactly, F64 rounded to nearest float32), integer buffers
     * from integer tensors (exactly). An integer tensor for a float parameter, or a floating one for an integer
     * buffer, is a dtype mismatch. Otherwise as {@link #loadStateDict(Map, boolean)}, with every name of the
     * module (integer buffers too) expected when {@code strict}.
     *
     * @param stateDict the tensors read by {@code StateDicts.read}
     * @param strict whether missing and unexpected keys are errors
     * @return the missing and unexpected keys (both empty after a successful strict load)
     * @throws IllegalArgumentException listing every problem (nothing was copied)
     */
    public final LoadResult loadStateDict(StateDict stateDict, boolean strict) {
        if (stateDict == null) {
            throw new IllegalArgumentException("state_dict must not be null");
        }
        return StateDictLoading.load(this, StateDictLoading.fromStored(stateDict.tensors()), strict, false);
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
     * @param missingKeys the module's state-dict names the state dict did not have
     * @param unexpectedKeys the state dict's keys that are no parameter of the module
     */
    public record LoadResult(List<String> missingKeys, List<String> unexpectedKeys) {
        /**
         * Copies both lists, unmodifiable.
         *
         * @param missingKeys the module's state-dict names the state dict did not have
         * @param unexpectedKeys the state dict's keys that are no parameter of the module
         */
        public LoadResult {
            missingKeys = List.copyOf(missingKeys);
            unexpectedKeys = List.copyOf(unexpectedKeys);
        }
    }
}
