// Package diagram draws sequence diagrams written in Mermaid's
// sequenceDiagram language as SVG, in Go, with no JavaScript and no network.
//
// callbacklab uses it for the diagrams of the article and lessons (through a
// goldmark [Extension]), for the live editor on the /diagrams page (through
// [RenderHandler]), for the "callbacklab diagram" command and for traces of
// the simulation.
//
// # Language
//
// [Parse] accepts the sequence-diagram syntax as Mermaid does: participant and
// actor declarations with "as" labels, create and destroy, box groups with an
// optional colour; the arrows ->, -->, ->>, -->>, -x, --x, -), --), <<->> and
// <<-->>; activate and deactivate and the + and - shorthand on arrows;
// notes left of, right of and over one or two participants; the blocks loop,
// alt/else, opt, par/and, critical/option, break and rect, nested to any
// depth; autonumber (with start, step and off), title, accTitle and accDescr;
// %% comments, ; as a line break, <br/> in text and the entity codes #59;,
// #35; and their kin. Keywords are matched case-insensitively and only as
// whole words, so a participant may be called "endpoint".
//
// A mistake is a *[ParseError] that names line and column; its Quote method
// prints the line with a caret under the column, like a compiler.
//
// # Drawing
//
// [Render] and [RenderSVG] write a standalone SVG document. Its colours come
// from CSS classes (cl-actor, cl-msg, cl-note, ...) and custom properties on
// the cl-seq class, with a light theme and a prefers-color-scheme dark one,
// so the same SVG works alone and inline. Text is measured with the advance
// widths of DejaVu Sans (tabulated in metrics_table.go; East Asian wide
// characters count as one em), which is first in the SVG's font stack, so
// columns are wide enough for every label, including labels of messages that
// span several lifelines. Lifeline positions come from one left-to-right pass
// over the constraints, so the cost of a diagram grows linearly with its
// size. The output is deterministic: the same text gives the same bytes.
package diagram
