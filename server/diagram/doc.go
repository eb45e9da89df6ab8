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
//
// # Limits
//
// Text to draw often comes from strangers (the editor's endpoint) or from
// files of any size (the command), so the work one diagram may ask for is
// bounded. [Parse] refuses, with a *[ParseError] naming the limit and the
// line, a diagram with more than 10,000 messages, more than 20,000
// statements drawn down the page (messages, notes, activations, blocks and
// their sections), more than 500 participants, a label, name or title
// longer than 1,000 characters or 50 lines, or an autonumber start or step
// above 999,999. [Render] refuses a drawing of more than 8 MiB of SVG with
// [ErrTooLarge] and writes nothing. The largest benchmark, 10,000 messages
// with notes and loops, fits within all of these. [RenderHandler] draws at
// most two diagrams at once and answers 503 to the rest.
package diagram
