package diagram

// styleSheet is embedded in every diagram. Colours are CSS custom properties
// on .cl-seq, so a page may restyle diagrams for its own theme, for example
// with "[data-theme=dark] .cl-seq { --cl-fg: ... }". Identical in every
// diagram, the rules do no harm when several diagrams share a page.
const styleSheet = `.cl-seq{--cl-fg:#1f2328;--cl-bg:#ffffff;--cl-line:#59636e;` +
	`--cl-actor:#eef1f5;--cl-actor-line:#59636e;--cl-note:#fff8c5;--cl-note-line:#bf8700;` +
	`--cl-frame:#818b98;--cl-tag:#eef1f5;--cl-bar:#ddf4ff;--cl-bar-line:#0969da;` +
	`--cl-num:#0969da;--cl-num-fg:#ffffff;--cl-box:#f6f8fa;--cl-rect:#ddf4ff;` +
	`font-family:` + fontFamily + `;font-size:14px}` +
	`@media (prefers-color-scheme:dark){.cl-seq{--cl-fg:#e6edf3;--cl-bg:#0d1117;` +
	`--cl-line:#9198a1;--cl-actor:#212830;--cl-actor-line:#9198a1;--cl-note:#3d2e00;` +
	`--cl-note-line:#bb8009;--cl-frame:#656c76;--cl-tag:#212830;--cl-bar:#0c2d6b;` +
	`--cl-bar-line:#4493f8;--cl-num:#1f6feb;--cl-num-fg:#ffffff;--cl-box:#151b23;` +
	`--cl-rect:#0c2d6b}}` +
	`.cl-seq text{fill:var(--cl-fg);stroke:none}` +
	`.cl-seq .cl-bg{fill:var(--cl-bg)}` +
	`.cl-seq text.cl-label{paint-order:stroke;stroke:var(--cl-bg);stroke-width:3px;` +
	`stroke-linejoin:round;stroke-opacity:.85}` +
	`.cl-seq .cl-title{font-size:18px;font-weight:bold}` +
	`.cl-seq .cl-actor{fill:var(--cl-actor);stroke:var(--cl-actor-line);stroke-width:1.5}` +
	`.cl-seq .cl-figure{fill:none;stroke:var(--cl-actor-line);stroke-width:2}` +
	`.cl-seq .cl-lifeline{stroke:var(--cl-line);stroke-width:1;stroke-dasharray:4 4}` +
	`.cl-seq .cl-destroy{stroke:var(--cl-fg);stroke-width:2}` +
	`.cl-seq .cl-bar{fill:var(--cl-bar);stroke:var(--cl-bar-line);stroke-width:1}` +
	`.cl-seq .cl-msg{fill:none;stroke:var(--cl-fg);stroke-width:1.5}` +
	`.cl-seq .cl-dotted{stroke-dasharray:6 4}` +
	`.cl-seq .cl-head{fill:var(--cl-fg);stroke:var(--cl-fg);stroke-width:1;stroke-linejoin:round}` +
	`.cl-seq .cl-open{fill:none;stroke:var(--cl-fg);stroke-width:1.5}` +
	`.cl-seq .cl-note{fill:var(--cl-note);stroke:var(--cl-note-line);stroke-width:1}` +
	`.cl-seq .cl-frame{fill:none;stroke:var(--cl-frame);stroke-width:1.5}` +
	`.cl-seq .cl-sep{stroke:var(--cl-frame);stroke-width:1;stroke-dasharray:5 4}` +
	`.cl-seq .cl-tag{fill:var(--cl-tag);stroke:var(--cl-frame);stroke-width:1}` +
	`.cl-seq .cl-tag-text{font-weight:bold;font-size:13px}` +
	`.cl-seq .cl-rect{fill:var(--cl-rect);fill-opacity:.5}` +
	`.cl-seq .cl-box{fill:var(--cl-box);stroke:var(--cl-frame);stroke-width:1}` +
	`.cl-seq .cl-box-color{fill-opacity:.3}` +
	`.cl-seq .cl-num{fill:var(--cl-num)}` +
	`.cl-seq text.cl-num-text{fill:var(--cl-num-fg);font-size:10px;font-weight:bold}` +
	`@media (prefers-color-scheme:dark){.cl-seq .cl-box-color{fill-opacity:.15}}`
