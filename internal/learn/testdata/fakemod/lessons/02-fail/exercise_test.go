package fail

import "testing"

func TestGreet(t *testing.T) {
	got := Greet("Ada")
	if got != "Hello, Ada!" {
		t.Errorf("Greet(%q) returned %q\nwant: %q\ngot:  %q", "Ada", got, "Hello, Ada!", got)
	}
}

func TestGreetTable(t *testing.T) {
	for _, name := range []string{"Bo", "Cy"} {
		t.Run(name, func(t *testing.T) {
			t.Logf("calling Greet(%q)", name)
			if Greet(name) == "" {
				t.Fatalf("Greet(%q) returned an empty string; return a greeting", name)
			}
		})
	}
}

func TestSkipped(t *testing.T) { t.Skip("not yet") }

func TestFine(t *testing.T) {}
