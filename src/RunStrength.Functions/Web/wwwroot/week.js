// This week and next as day columns: each session with its blocks, targets, exercises, why and rule ids,
// and a button to log it.
import { el, days, dayNames, pace } from "./format.js";

const statusNames = { completed: "Done", partial: "Partly done", skipped: "Skipped" };

function block(item, units) {
  const parts = [item.name];
  if (item.repeats) {
    parts.push(`${item.repeats} x ${item.work ?? ""}${item.recovery ? `, ${item.recovery} between` : ""}`);
  } else if (item.minutes) {
    parts.push(`${item.minutes} min`);
  }
  const target = item.target;
  return el("li", {},
    parts.join(": "),
    item.detail ? el("span", { class: "muted" }, ` (${item.detail})`) : null,
    target ? el("span", { class: "target" }, ` ${target.zone}`,
      target.paceSecPerKm ? `, ${pace(target.paceSecPerKm, units)}` : "",
      target.heartRateBpm ? `, ${target.heartRateBpm.min}-${target.heartRateBpm.max} bpm` : "") : null);
}

function exercise(item) {
  const reps = item.targetReps ?? (item.repsMin === item.repsMax ? item.repsMin : `${item.repsMin}-${item.repsMax}`);
  return el("li", {},
    el("strong", {}, item.name),
    ` ${item.sets} x ${reps}${item.perSide ? " each side" : ""}`,
    item.targetRir !== undefined ? `, ${item.targetRir} RIR` : "",
    item.load ? `, ${item.load}` : "",
    item.loadNote ? el("span", { class: "muted" }, ` (${item.loadNote})`) : null);
}

function session(plan, item, log, units, onLog) {
  const id = `session-${plan.week}-${item.id}`;
  return el("article", { class: `session ${item.kind}`, "aria-labelledby": id, "data-session": item.id },
    el("h5", { id }, item.title),
    el("p", { class: "meta" }, `${item.durationMinutes} min`, item.intensity?.rpe ? ` · RPE ${item.intensity.rpe}` : "", item.isHardRun ? " · hard" : ""),
    item.blocks?.length ? el("ul", { class: "blocks", "aria-label": "Blocks" }, item.blocks.map((b) => block(b, units))) : null,
    item.exercises?.length ? el("ul", { class: "exercises", "aria-label": "Exercises" }, item.exercises.map(exercise)) : null,
    el("p", { class: "why" }, item.why),
    item.rules?.length ? el("p", { class: "rules" }, "Rules: ", item.rules.map((rule, i) => [i ? " " : "", el("code", {}, rule)])) : null,
    log ? el("p", { class: `logged ${log.status}` }, `Logged: ${statusNames[log.status]}`, log.actualMinutes !== undefined ? `, ${log.actualMinutes} min` : "") : null,
    item.kind === "rest" ? null : el("button", { type: "button", class: "log", onclick: () => onLog(plan, item, log) }, log ? `Edit log: ${item.title}` : `Log ${item.title}`));
}

/** One week as seven day columns (stacked on a phone). */
export function renderWeek(title, plan, logs, units, onLog) {
  const byId = new Map((logs ?? []).map((log) => [log.sessionId, log]));
  const headingId = `week-${plan.week}`;
  return el("section", { class: "week", "aria-labelledby": headingId, "data-week": plan.week },
    el("h3", { id: headingId }, `${title}: ${plan.week}`, el("span", { class: "muted" }, ` · ${plan.phase}${plan.blockWeek ? `, block week ${plan.blockWeek}` : ""}`)),
    plan.adjustmentReason ? el("p", { class: "muted" }, plan.adjustmentReason) : null,
    el("div", { class: "days" }, days.map((day) => {
      const sessions = plan.sessions.filter((s) => s.day === day);
      const date = sessions[0]?.date;
      return el("div", { class: "day" },
        el("h4", { class: "day-name" }, dayNames[day], date ? el("span", { class: "muted" }, ` ${date.slice(5)}`) : null),
        sessions.length ? sessions.map((s) => session(plan, s, byId.get(s.id), units, onLog)) : el("p", { class: "muted" }, "Nothing planned"));
    })));
}
