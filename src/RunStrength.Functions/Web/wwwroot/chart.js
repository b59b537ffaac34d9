// The 12-week progression as hand-written SVG bar charts, each with its numbers in a table
// (for screen readers, and for anyone who wants the figures).
import { el } from "./format.js";

const svgNs = "http://www.w3.org/2000/svg";
const palette = ["#1d4ed8", "#b45309", "#047857", "#7c3aed", "#be123c", "#0e7490", "#4b5563"];

function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS(svgNs, tag);
  for (const [name, value] of Object.entries(attributes)) {
    element.setAttribute(name, value);
  }
  element.append(...children.flat());
  return element;
}

/** Done counts only what was (at least partly) done. */
const done = (log) => log.status === "completed" || log.status === "partial";

/** Per week: planned and done figures, from the week's plan and its logs. */
export function weekFigures(plan, logs) {
  const training = plan.sessions.filter((s) => s.kind !== "rest");
  const runIds = new Set(plan.sessions.filter((s) => s.kind === "run").map((s) => s.id));
  const doneLogs = logs.filter(done);
  const hard = plan.summary.hardRunMinutes ?? 0;
  return {
    week: plan.week,
    easyMinutes: Math.max(0, (plan.summary.runMinutes ?? 0) - hard),
    hardMinutes: hard,
    doneRunMinutes: doneLogs.filter((l) => runIds.has(l.sessionId)).reduce((sum, l) => sum + (l.actualMinutes ?? 0), 0),
    sets: plan.summary.setsByMuscle ?? {},
    plannedSessions: training.length,
    doneSessions: doneLogs.filter((l) => training.some((s) => s.id === l.sessionId)).length,
  };
}

/** A week with no plan (before sign-up): nothing planned, nothing done. */
export function emptyWeek(week) {
  return { week, easyMinutes: 0, hardMinutes: 0, doneRunMinutes: 0, sets: {}, plannedSessions: 0, doneSessions: 0 };
}

/**
 * A bar chart: one group per week, each group a list of bars, each bar a stack of
 * { label, value, colour } parts. `marks` adds a dot per week (done run minutes).
 */
function barChart({ title, weeks, groups, legend, marks }) {
  const width = 640;
  const height = 220;
  const left = 40;
  const bottom = 30;
  const top = 10;
  const totals = groups.flatMap((bars) => bars.map((stack) => stack.reduce((sum, part) => sum + part.value, 0)));
  const max = Math.max(1, ...totals, ...(marks ?? []));
  const scale = (value) => ((height - bottom - top) * value) / max;
  const slot = (width - left) / Math.max(1, weeks.length);
  const children = [svg("title", {}, title)];
  for (const tick of [0, 0.5, 1]) {
    const y = height - bottom - scale(max * tick);
    children.push(svg("line", { x1: left, x2: width, y1: y, y2: y, class: "grid" }));
    children.push(svg("text", { x: left - 4, y: y + 4, "text-anchor": "end", class: "axis" }, String(Math.round(max * tick))));
  }
  weeks.forEach((week, index) => {
    const bars = groups[index];
    const barWidth = (slot * 0.7) / Math.max(1, bars.length);
    bars.forEach((stack, barIndex) => {
      let y = height - bottom;
      for (const part of stack) {
        const h = scale(part.value);
        if (h > 0) {
          y -= h;
          children.push(svg("rect", { x: left + index * slot + slot * 0.15 + barIndex * barWidth, y, width: barWidth - 1, height: h, fill: part.colour }, svg("title", {}, `${week}: ${part.label} ${part.value}`)));
        }
      }
    });
    if (marks && marks[index] > 0) {
      children.push(svg("circle", { cx: left + index * slot + slot / 2, cy: height - bottom - scale(marks[index]), r: 5, class: "mark" }, svg("title", {}, `${week}: done ${marks[index]}`)));
    }
    children.push(svg("text", { x: left + index * slot + slot / 2, y: height - 10, "text-anchor": "middle", class: "axis" }, week.slice(5)));
  });
  return el("div", { class: "chart" },
    el("h3", {}, title),
    el("ul", { class: "legend" }, legend.map((item) => el("li", {}, swatch(item.colour), item.label))),
    svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": title }, children));
}

function swatch(colour) {
  const shape = colour === "mark" ? svg("circle", { cx: 6, cy: 6, r: 5, class: "mark" }) : svg("rect", { width: 12, height: 12, fill: colour });
  return svg("svg", { class: "swatch", viewBox: "0 0 12 12", width: 12, height: 12, "aria-hidden": "true" }, shape);
}

function table(caption, weeks, columns) {
  return el("details", { class: "numbers" },
    el("summary", {}, `${caption}: the numbers`),
    el("table", {},
      el("caption", {}, caption),
      el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Week"), columns.map((c) => el("th", { scope: "col" }, c.label)))),
      el("tbody", {}, weeks.map((w) => el("tr", { "data-week": w.week }, el("th", { scope: "row" }, w.week), columns.map((c) => el("td", { "data-column": c.key }, String(c.value(w)))))))));
}

/** Three charts over the weeks given (oldest first): run minutes, strength sets per muscle, planned against done. */
export function renderCharts(figures) {
  const weeks = figures.map((f) => f.week);
  const muscleTotals = new Map();
  for (const f of figures) {
    for (const [muscle, sets] of Object.entries(f.sets)) {
      muscleTotals.set(muscle, (muscleTotals.get(muscle) ?? 0) + sets);
    }
  }
  const muscles = [...muscleTotals.entries()].sort((a, b) => b[1] - a[1]).map(([m]) => m);
  const shown = muscles.slice(0, 6);
  const colourOf = (muscle) => palette[shown.indexOf(muscle)] ?? palette[6];
  const setsOf = (f, muscle) => Math.round((f.sets[muscle] ?? 0) * 10) / 10;
  const otherSets = (f) => Math.round(muscles.slice(6).reduce((sum, m) => sum + (f.sets[m] ?? 0), 0) * 10) / 10;

  return [
    barChart({
      title: "Run minutes: easy and hard, planned (dot: done)",
      weeks,
      groups: figures.map((f) => [[{ label: "easy", value: f.easyMinutes, colour: palette[0] }, { label: "hard", value: f.hardMinutes, colour: palette[4] }]]),
      marks: figures.map((f) => f.doneRunMinutes),
      legend: [{ label: "Easy minutes", colour: palette[0] }, { label: "Hard minutes", colour: palette[4] }, { label: "Done (dot)", colour: "mark" }],
    }),
    table("Run minutes", figures, [
      { key: "easy", label: "Easy", value: (f) => f.easyMinutes },
      { key: "hard", label: "Hard", value: (f) => f.hardMinutes },
      { key: "done-run", label: "Done", value: (f) => f.doneRunMinutes },
    ]),
    barChart({
      title: "Strength sets per muscle group, planned",
      weeks,
      groups: figures.map((f) => [[...shown.map((m) => ({ label: m, value: setsOf(f, m), colour: colourOf(m) })), { label: "other", value: otherSets(f), colour: palette[6] }]]),
      legend: [...shown.map((m) => ({ label: m, colour: colourOf(m) })), ...(muscles.length > 6 ? [{ label: "other", colour: palette[6] }] : [])],
    }),
    table("Strength sets per muscle group", figures, [...shown.map((m) => ({ key: m, label: m, value: (f) => setsOf(f, m) })), ...(muscles.length > 6 ? [{ key: "other", label: "other", value: otherSets }] : [])]),
    barChart({
      title: "Sessions: planned against done",
      weeks,
      groups: figures.map((f) => [[{ label: "planned", value: f.plannedSessions, colour: palette[6] }], [{ label: "done", value: f.doneSessions, colour: palette[2] }]]),
      legend: [{ label: "Planned", colour: palette[6] }, { label: "Done", colour: palette[2] }],
    }),
    table("Sessions", figures, [
      { key: "planned", label: "Planned", value: (f) => f.plannedSessions },
      { key: "done", label: "Done", value: (f) => f.doneSessions },
    ]),
  ];
}
