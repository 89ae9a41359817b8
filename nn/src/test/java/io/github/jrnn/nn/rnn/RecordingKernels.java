package io.github.jrnn.nn.rnn;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.kernels.Kernels;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import net.bytebuddy.dynamic.scaffold.subclass.ConstructorStrategy;
import net.bytebuddy.implementation.InvocationHandlerAdapter;
import net.bytebuddy.matcher.ElementMatchers;

/**
 * Kernels that record every kernel call made through either twin (checked or unchecked) and compute it with the
 * unchecked scalar reference, for tests that look at what a module calls: "checks first" tests (no kernel ran
 * before an argument was rejected) and "inference saves nothing" tests (no gate kernel got a workspace).
 *
 * <p>There is no code per kernel here, so a kernel added to {@link Kernels} needs no change in this class. The
 * concrete class is generated once per JVM with Byte Buddy: a subclass of this one whose every abstract method
 * (each protected {@code xImpl} of Kernels, declared in the family class of Kernels' chain that holds the kernel)
 * has one body, {@link #forward}, which records the kernel {@code x} and then calls the reference's public {@code x}
 * with the same arguments (a call through the checked twin has passed Kernels' checks before it gets there, as
 * with any implementation). The reference method of every Impl is looked up once, when this class initialises; an
 * abstract method that is not an Impl with its public twin fails that initialisation, naming the method, rather
 * than a call later.
 *
 * <p>A call counts as given a workspace ({@link #gateCallsWithWorkspace()}) when its Impl has a parameter
 * {@code float[] workspace} (found by name: the kernels module compiles with {@code -parameters}) and the argument is
 * not null. Today those are the forward gate kernels gruCell and lstmCell and the whole-layer recurrentLayer, whose
 * workspace receives the gate activations that only a recorded pass saves; the backward kernels read a
 * {@code MatrixSlice workspace}, not counted.
 */
abstract class RecordingKernels extends Kernels {

    /** Every call computes here. */
    private static final Kernels REFERENCE = KernelProvider.checkedScalar().unchecked();

    private static final String IMPL = "Impl";

    /** What one Impl does: the kernel it records and the reference method it calls. */
    private record Forward(String kernel, Method reference, int workspaceIndex) {
    }

    /** By abstract method of Kernels or a superclass (the {@code Method} Byte Buddy hands to {@link #forward}). */
    private static final Map<Method, Forward> FORWARDS = forwards();

    /** The public constructors of the generated class, from this class's two. */
    private static final Constructor<? extends RecordingKernels> NEW_CHECKED;
    private static final Constructor<? extends RecordingKernels> NEW_UNCHECKED;

    static {
        Class<? extends RecordingKernels> generated = new ByteBuddy()
                .subclass(RecordingKernels.class, ConstructorStrategy.Default.IMITATE_SUPER_CLASS_OPENING)
                .name(RecordingKernels.class.getName() + "$Generated")
                .method(ElementMatchers.isAbstract())
                .intercept(InvocationHandlerAdapter.of(RecordingKernels::forward))
                .make()
                .load(RecordingKernels.class.getClassLoader(), ClassLoadingStrategy.UsingLookup.of(
                        MethodHandles.lookup())) // defined next to this class, so its package-private members bind
                .getLoaded();
        try {
            NEW_CHECKED = generated.getConstructor(Counts.class);
            NEW_UNCHECKED = generated.getConstructor(Kernels.class, Counts.class);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("the generated class lacks a constructor of RecordingKernels", e);
        }
    }

    /** Counts shared by the twins. */
    static final class Counts {
        private final AtomicInteger calls = new AtomicInteger();
        private final AtomicInteger gateCallsWithWorkspace = new AtomicInteger();
        private final ConcurrentMap<String, AtomicInteger> byKernel = new ConcurrentHashMap<>();

        private void record(String kernel, boolean withWorkspace) {
            calls.incrementAndGet();
            byKernel.computeIfAbsent(kernel, k -> new AtomicInteger()).incrementAndGet();
            if (withWorkspace) {
                gateCallsWithWorkspace.incrementAndGet();
            }
        }
    }

    private final Counts counts;

    /** The checked instance (for the generated class); its unchecked twin records into the same counts. */
    RecordingKernels(Counts counts) {
        this.counts = counts;
        super(checked -> newInstance(NEW_UNCHECKED, checked, counts));
    }

    /** The unchecked twin of {@code checkedTwin} (for the generated class). */
    RecordingKernels(Kernels checkedTwin, Counts counts) {
        this.counts = counts;
        super(checkedTwin);
    }

    /** A new checked instance with counts of its own, shared with its {@link #unchecked()} twin. */
    static RecordingKernels create() {
        return newInstance(NEW_CHECKED, new Counts());
    }

    private static RecordingKernels newInstance(Constructor<? extends RecordingKernels> constructor,
                                                Object... arguments) {
        try {
            return constructor.newInstance(arguments);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build the generated RecordingKernels", e);
        }
    }

    /** Kernel calls so far, through either twin. */
    int calls() {
        return counts.calls.get();
    }

    /** Calls of {@code kernel} (a public method name of Kernels, e.g. "sgemm") so far, through either twin. */
    int calls(String kernel) {
        AtomicInteger n = counts.byKernel.get(kernel);
        return n == null ? 0 : n.get();
    }

    /** Calls so far given a {@code float[] workspace} (gruCell / lstmCell: what only a recorded pass needs). */
    int gateCallsWithWorkspace() {
        return counts.gateCallsWithWorkspace.get();
    }

    @Override
    public String name() {
        return "recording scalar";
    }

    /** The body of every Impl of the generated class: record, then compute with the reference. */
    private static Object forward(Object self, Method impl, Object[] arguments) throws Throwable {
        Forward forward = FORWARDS.get(impl);
        if (forward == null) { // forwards() covers every abstract method Byte Buddy implements
            throw new IllegalStateException("no forward for " + impl);
        }
        boolean withWorkspace = forward.workspaceIndex() >= 0 && arguments[forward.workspaceIndex()] != null;
        ((RecordingKernels) self).counts.record(forward.kernel(), withWorkspace);
        try {
            return forward.reference().invoke(REFERENCE, arguments);
        } catch (InvocationTargetException e) {
            throw e.getCause(); // what the reference threw, as a direct call would see it
        }
    }

    /**
     * The forward of every method left abstract by this class, each looked up once: the abstract methods of Kernels
     * and of the classes above it (Kernels declares its kernels by family, one superclass per family).
     */
    private static Map<Method, Forward> forwards() {
        Map<Method, Forward> forwards = new HashMap<>();
        for (Class<?> declaring = Kernels.class; declaring != Object.class; declaring = declaring.getSuperclass()) {
            for (Method impl : declaring.getDeclaredMethods()) {
                if (!Modifier.isAbstract(impl.getModifiers()) || implementedHere(impl)) {
                    continue;
                }
                String name = declaring.getSimpleName() + "." + impl.getName();
                if (!impl.getName().endsWith(IMPL)) {
                    throw new IllegalStateException("abstract " + name + " is not a kernel Impl; implement it in"
                            + " RecordingKernels");
                }
                String kernel = impl.getName().substring(0, impl.getName().length() - IMPL.length());
                Method reference;
                try {
                    reference = Kernels.class.getMethod(kernel, impl.getParameterTypes());
                } catch (NoSuchMethodException e) {
                    throw new IllegalStateException(name + " has no public " + kernel + " with the same parameters",
                            e);
                }
                forwards.put(impl, new Forward(kernel, reference, workspaceIndex(impl)));
            }
        }
        return Map.copyOf(forwards);
    }

    private static boolean implementedHere(Method abstractMethod) {
        try {
            RecordingKernels.class.getDeclaredMethod(abstractMethod.getName(), abstractMethod.getParameterTypes());
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /** The index of {@code impl}'s {@code float[] workspace} parameter, or -1. */
    private static int workspaceIndex(Method impl) {
        Parameter[] parameters = impl.getParameters();
        for (int i = 0; i < parameters.length; i++) {
            if (!parameters[i].isNamePresent()) {
                throw new IllegalStateException("Kernels was compiled without -parameters: " + impl.getName()
                        + " has no parameter names, so its float[] workspace cannot be found");
            }
            if (parameters[i].getType() == float[].class && parameters[i].getName().equals("workspace")) {
                return i;
            }
        }
        return -1;
    }
}
