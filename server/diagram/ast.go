package diagram

// Diagram is a parsed sequence diagram: its participants in order of
// appearance and its statements in source order.
type Diagram struct {
	Title    string // from "title"; may hold line breaks as "\n"
	AccTitle string // from "accTitle", the accessible title
	AccDescr string // from "accDescr", the accessible description

	Participants []*Participant
	Boxes        []*Box
	Items        []Item
}

// Participant is one lifeline of a diagram.
type Participant struct {
	ID    string // the name used in statements
	Label string // the text drawn in its box; the ID unless "as" gave one
	Actor bool   // drawn as a stick figure ("actor") rather than a box
	Box   *Box   // the group holding it, or nil

	// CreatedBy is the message that creates the participant ("create"), or
	// nil when it exists from the start. DestroyedBy is the message that ends
	// its lifeline ("destroy"), or nil.
	CreatedBy   *Message
	DestroyedBy *Message

	index int
}

// Box groups participants under an optional label and colour.
type Box struct {
	Label string
	Color string // a CSS colour, or "" for none
	Line  int
}

// Item is one statement of a diagram: a [*Message], [*Note], [*Activation]
// or [*Block].
type Item interface{ item() }

// Arrow is the kind of line and head of a message.
type Arrow int

// The arrows, named after their Mermaid spelling.
const (
	ArrowSolid       Arrow = iota // ->
	ArrowDotted                   // -->
	ArrowSolidHead                // ->>
	ArrowDottedHead               // -->>
	ArrowSolidCross               // -x
	ArrowDottedCross              // --x
	ArrowSolidOpen                // -)
	ArrowDottedOpen               // --)
	ArrowSolidBoth                // <<->>
	ArrowDottedBoth               // <<-->>
)

// arrowSpellings maps each arrow to its Mermaid spelling, longest first so a
// lexer can try them in order.
var arrowSpellings = [...]struct {
	text  string
	arrow Arrow
}{
	{"<<-->>", ArrowDottedBoth},
	{"<<->>", ArrowSolidBoth},
	{"-->>", ArrowDottedHead},
	{"--x", ArrowDottedCross},
	{"--)", ArrowDottedOpen},
	{"->>", ArrowSolidHead},
	{"-->", ArrowDotted},
	{"-x", ArrowSolidCross},
	{"-)", ArrowSolidOpen},
	{"->", ArrowSolid},
}

// String returns the Mermaid spelling of a.
func (a Arrow) String() string {
	for _, s := range arrowSpellings {
		if s.arrow == a {
			return s.text
		}
	}
	return "?"
}

// Dotted reports whether a is drawn with a dashed line.
func (a Arrow) Dotted() bool {
	switch a {
	case ArrowDotted, ArrowDottedHead, ArrowDottedCross, ArrowDottedOpen, ArrowDottedBoth:
		return true
	}
	return false
}

// Message is an arrow from one participant to another (or to itself).
type Message struct {
	From, To *Participant
	Arrow    Arrow
	Text     string // may hold line breaks as "\n"

	Activate   bool // "+": the message activates To
	Deactivate bool // "-": the message deactivates From
	Numbered   bool // autonumber is on: Number is drawn at the arrow's start
	Number     int
	Line       int
}

// NotePlacement says where a note sits relative to its participants.
type NotePlacement int

// The note placements.
const (
	NoteOver NotePlacement = iota
	NoteLeftOf
	NoteRightOf
)

// Note is a text box beside or over one or two participants.
type Note struct {
	Placement NotePlacement
	Over      []*Participant // one, or two for "over A,B"
	Text      string
	Line      int
}

// Activation starts ("activate") or ends ("deactivate") an activation bar.
type Activation struct {
	Participant *Participant
	Active      bool
	Line        int
}

// BlockKind names a framed block.
type BlockKind int

// The block kinds.
const (
	BlockLoop BlockKind = iota
	BlockAlt
	BlockOpt
	BlockPar
	BlockCritical
	BlockBreak
	BlockRect
)

var blockNames = [...]string{"loop", "alt", "opt", "par", "critical", "break", "rect"}

// String returns the keyword that opens a block of kind k.
func (k BlockKind) String() string { return blockNames[k] }

// Block is a framed group of statements: loop, alt, opt, par, critical,
// break or rect. Alt, par and critical blocks may hold several sections
// ("else", "and", "option"); the others hold exactly one.
type Block struct {
	Kind     BlockKind
	Color    string // for rect: the background colour
	Sections []*Section
	Line     int
}

// Section is one part of a block with its own label.
type Section struct {
	Label string
	Items []Item
	Line  int
}

func (*Message) item()    {}
func (*Note) item()       {}
func (*Activation) item() {}
func (*Block) item()      {}
