/** A user's application of jrnn, built as a named module: proves the library works on the module path. */
module io.github.jrnn.consumer {
    requires io.github.jrnn.nn;
}
