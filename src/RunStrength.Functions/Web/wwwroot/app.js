// The RunStrength web client: sign in, keep a profile, see this week and next, log sessions,
// watch 12 weeks of progression, subscribe to the calendar, delete the account.
import { createApi, ApiError } from "./api.js";
import { currentToken, signOut, developmentSignIn, entraSignIn, startEntra } from "./auth.js";
import { el, days, dayNames, loadUnit, toKilograms, isoWeek, addDays } from "./format.js";
import { renderWeek } from "./week.js";
import { renderCharts, weekFigures, emptyWeek } from "./chart.js";

const $ = (id) => document.getElementById(id);
const api = createApi(currentToken, () => {
  signOut();
  show("signed-out");
});

const state = { profile: null, plans: new Map(), logs: new Map(), current: null, next: null };

function say(message) {
  $("status").textContent = message;
}

// --- Field-named errors (RFC 9457 `errors`) beside each field ------------------------------------

function clearErrors(form) {
  for (const node of form.querySelectorAll(".error")) {
    node.hidden = true;
    node.textContent = "";
  }
  for (const node of form.querySelectorAll("[aria-invalid]")) {
    node.removeAttribute("aria-invalid");
  }
}

/** Puts each message beside its field: "availableDays[2]" goes to availableDays, unknown fields to the summary. */
function showErrors(form, prefix, error, summaryId) {
  const summary = $(summaryId);
  const errors = error instanceof ApiError ? error.problem.errors ?? {} : {};
  const unplaced = [];
  for (const [key, messages] of Object.entries(errors)) {
    const field = key.split(/[.[]/)[0];
    const target = $(`${prefix}${key.replace(/[^A-Za-z0-9]+/g, "-").replace(/-$/, "")}-error`) ?? $(`${prefix}${field}-error`);
    if (target) {
      target.textContent = [target.textContent, ...messages.map((m) => (key === field ? m : `${key}: ${m}`))].filter(Boolean).join(" ");
      target.hidden = false;
      form.querySelector(`[aria-describedby~="${target.id}"]`)?.setAttribute("aria-invalid", "true");
    } else {
      unplaced.push(`${key}: ${messages.join(" ")}`);
    }
  }
  const headline = Object.keys(errors).length ? "Please correct the fields marked below." : error.message;
  summary.textContent = [headline, ...unplaced].join(" ");
  summary.hidden = false;
}

// --- Profile -------------------------------------------------------------------------------------

function choices(containerId, name, values, labels = {}) {
  $(containerId).replaceChildren(...values.map((value) =>
    el("label", { class: "choice" }, el("input", { type: "checkbox", name, value }), ` ${labels[value] ?? value}`)));
}

function fillProfile(profile) {
  const form = $("profile-form");
  const p = profile ?? {
    goal: "balanced", runningExperience: "beginner", strengthExperience: "beginner", availableDays: ["mon", "wed", "fri", "sat"],
    longRunDay: "sat", maxSessionMinutes: 60, weeklyRunMinutes: 60, equipment: ["bodyweight"], terrain: ["flat"],
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone, units: "metric",
  };
  for (const name of ["goal", "runningExperience", "strengthExperience", "maxSessionMinutes", "weeklyRunMinutes", "birthYear", "timeZone", "units"]) {
    form.elements[name].value = p[name] ?? "";
  }
  form.elements.longRunDay.value = p.longRunDay ?? "";
  for (const name of ["availableDays", "equipment", "terrain"]) {
    for (const box of form.querySelectorAll(`input[name="${name}"]`)) {
      box.checked = (p[name] ?? []).includes(box.value);
    }
  }
}

function readProfile() {
  const form = $("profile-form");
  const number = (name) => (form.elements[name].value.trim() === "" ? undefined : Number(form.elements[name].value));
  const checked = (name) => [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((box) => box.value);
  // Fields this form does not show (race, zones, exclusions) are kept as they were.
  return {
    ...(state.profile ?? {}),
    goal: form.elements.goal.value,
    runningExperience: form.elements.runningExperience.value,
    strengthExperience: form.elements.strengthExperience.value,
    availableDays: checked("availableDays"),
    longRunDay: form.elements.longRunDay.value || null,
    maxSessionMinutes: number("maxSessionMinutes"),
    weeklyRunMinutes: number("weeklyRunMinutes"),
    equipment: checked("equipment"),
    terrain: checked("terrain"),
    birthYear: number("birthYear"),
    timeZone: form.elements.timeZone.value.trim(),
    units: form.elements.units.value,
  };
}

async function saveProfile(event) {
  event.preventDefault();
  const form = $("profile-form");
  clearErrors(form);
  $("profile-summary").hidden = true;
  $("profile-save").disabled = true;
  try {
    const created = state.profile === null;
    state.profile = await api.saveProfile(readProfile());
    state.plans.clear();
    say(created ? "Profile saved. Your plan is ready." : "Profile saved. Your weeks were planned again.");
    await loadWeeks();
    if (created) {
      $("weeks-title").focus();
    }
  } catch (error) {
    showErrors(form, "", error, "profile-summary");
    form.querySelector("[aria-invalid]")?.focus();
  } finally {
    $("profile-save").disabled = false;
  }
}

// --- Weeks and logging ---------------------------------------------------------------------------

async function plan(week) {
  if (!state.plans.has(week)) {
    state.plans.set(week, await api.plan(week));
  }
  return state.plans.get(week);
}

async function logs(week, fresh = false) {
  if (fresh || !state.logs.has(week)) {
    state.logs.set(week, (await api.logs(week)).items);
  }
  return state.logs.get(week);
}

async function loadWeeks() {
  state.current = await api.plan("current");
  if (!state.current) {
    $("week-list").replaceChildren(el("p", {}, "No plan for this week yet."));
    show("signed-in");
    return;
  }
  state.plans.set(state.current.week, state.current);
  state.next = await api.plan("next");
  if (state.next) {
    state.plans.set(state.next.week, state.next);
  }
  await Promise.all([logs(state.current.week, true), state.next ? logs(state.next.week, true) : null]);
  renderWeeks();
  show("signed-in");
  await renderProgress();
}

function renderWeeks() {
  const units = state.profile?.units ?? "metric";
  $("week-list").replaceChildren(
    renderWeek("This week", state.current, state.logs.get(state.current.week), units, openLog),
    state.next ? renderWeek("Next week", state.next, state.logs.get(state.next.week), units, openLog) : el("p", { class: "muted" }, "Next week is planned two days before it starts."));
}

let logging = null;

function setRow(exerciseIndex, setIndex, set, units) {
  const id = (name) => `log-exercises-${exerciseIndex}-sets-${setIndex}-${name}`;
  const input = (name, label, value, extra = {}) => el("div", { class: "set-field" },
    el("label", { for: id(name) }, label),
    el("input", { id: id(name), name, type: "number", inputmode: "decimal", value: value ?? "", "aria-describedby": `${id(name)}-error`, ...extra }),
    el("p", { id: `${id(name)}-error`, class: "error", hidden: true }));
  const load = set?.load === undefined ? undefined : units === "imperial" ? Math.round(set.load / 0.45359237) : set.load;
  return el("div", { class: "set", "data-set": setIndex },
    el("span", { class: "set-number" }, `Set ${setIndex + 1}`),
    input("reps", `Set ${setIndex + 1} reps`, set?.reps, { min: 0, max: 100 }),
    input("rir", `Set ${setIndex + 1} reps in reserve`, set?.rir, { min: 0, max: 10 }),
    input("load", `Set ${setIndex + 1} load (${loadUnit(units)})`, load, { min: 0, step: "any" }));
}

function openLog(weekPlan, session, log) {
  const form = $("log-form");
  const units = state.profile?.units ?? "metric";
  logging = { week: weekPlan.week, session };
  clearErrors(form);
  $("log-summary").hidden = true;
  $("log-title").textContent = `Log: ${session.title} (${dayNames[session.day]})`;
  $("log-status").value = log?.status ?? "completed";
  $("log-minutes").value = log?.actualMinutes ?? session.durationMinutes;
  $("log-rpe").value = log?.rpe ?? session.intensity?.rpe ?? "";
  $("log-exercises").replaceChildren(...(session.exercises ?? []).map((exercise, i) => {
    const logged = log?.exercises?.find((e) => e.exerciseId === exercise.id);
    return el("fieldset", { class: "exercise-log", "data-exercise": exercise.id },
      el("legend", {}, exercise.name),
      Array.from({ length: exercise.sets }, (_, s) => setRow(i, s, logged?.sets?.[s], units)),
      el("p", { id: `log-exercises-${i}-error`, class: "error", hidden: true }));
  }));
  $("log-dialog").showModal();
}

function readLog() {
  const units = state.profile?.units ?? "metric";
  const number = (input) => (input.value.trim() === "" ? undefined : Number(input.value));
  const exercises = [...$("log-exercises").querySelectorAll("fieldset")].map((fieldset) => ({
    exerciseId: fieldset.dataset.exercise,
    sets: [...fieldset.querySelectorAll(".set")].map((row) => {
      const load = number(row.querySelector('[name="load"]'));
      return { reps: number(row.querySelector('[name="reps"]')), rir: number(row.querySelector('[name="rir"]')), load: load === undefined ? undefined : toKilograms(load, units) };
    }).filter((set) => set.reps !== undefined),
  })).filter((exercise) => exercise.sets.length > 0);
  const status = $("log-status").value;
  return {
    status,
    actualMinutes: number($("log-minutes")),
    rpe: status === "skipped" ? undefined : number($("log-rpe")),
    exercises: exercises.length ? exercises : undefined,
  };
}

async function saveLog(event) {
  event.preventDefault();
  const form = $("log-form");
  clearErrors(form);
  $("log-summary").hidden = true;
  try {
    await api.saveLog(logging.week, logging.session.id, readLog());
    $("log-dialog").close();
    await logs(logging.week, true);
    say(`Logged ${logging.session.title}.`);
    renderWeeks();
    await renderProgress();
  } catch (error) {
    showErrors(form, "log-", error, "log-summary");
  }
}

// --- Progression ---------------------------------------------------------------------------------

async function renderProgress() {
  const last = state.next ?? state.current;
  const from = isoWeek(addDays(last.weekStart, -7 * 11));
  const page = await api.plans(from, last.week);
  const planned = new Set(page.items.map((item) => item.week));
  // Always 12 slots, oldest first, so a new user's first week is one bar among twelve, not the whole chart.
  const figures = [];
  for (let back = 11; back >= 0; back--) {
    const week = isoWeek(addDays(last.weekStart, -7 * back));
    const weekPlan = planned.has(week) ? await plan(week) : null;
    figures.push(weekPlan ? weekFigures(weekPlan, await logs(week)) : emptyWeek(week));
  }
  $("charts").replaceChildren(...renderCharts(figures));
}

// --- Account -------------------------------------------------------------------------------------

async function calendarLink() {
  try {
    const feed = await api.calendar();
    $("calendar-url").textContent = feed.url;
    $("calendar-url").href = feed.url.replace(/^https?:/, "webcal:");
    $("calendar-link").hidden = false;
    say("Calendar link ready. A new link replaces the old one.");
  } catch (error) {
    say(error.message);
  }
}

async function deleteAccount() {
  if ($("delete-dialog").returnValue !== "delete") {
    return;
  }
  try {
    await api.deleteAccount();
    signOut();
    state.profile = null;
    state.plans.clear();
    state.logs.clear();
    show("signed-out");
    say("Your account was deleted.");
  } catch (error) {
    say(error.message);
  }
}

// --- Screens -------------------------------------------------------------------------------------

function show(screen) {
  const token = currentToken();
  const signedIn = screen !== "signed-out" && token !== null;
  $("sign-in").hidden = signedIn;
  $("profile").hidden = !signedIn;
  for (const id of ["weeks", "progress", "account"]) {
    $(id).hidden = !signedIn || state.profile === null;
  }
  $("who").hidden = !signedIn;
  $("who").textContent = signedIn ? `Signed in as ${token.user}` : "";
  $("sign-out").hidden = !signedIn;
  $("profile-title").textContent = state.profile ? "Your profile" : "Create your profile";
}

async function signedIn() {
  state.profile = await api.profile();
  fillProfile(state.profile);
  show("signed-in");
  if (state.profile) {
    await loadWeeks();
  } else {
    say("Welcome. Create your profile to get your first week.");
  }
}

async function start() {
  choices("availableDays", "availableDays", days, dayNames);
  choices("equipment", "equipment", ["gym", "dumbbells", "kettlebell", "bodyweight"]);
  choices("terrain", "terrain", ["hills", "flat", "stairs", "track", "trail"]);
  $("longRunDay").replaceChildren(el("option", { value: "" }, "Let the plan choose"), ...days.map((d) => el("option", { value: d }, dayNames[d])));
  $("profile-form").addEventListener("submit", saveProfile);
  $("log-form").addEventListener("submit", saveLog);
  $("log-cancel").addEventListener("click", () => $("log-dialog").close());
  $("calendar-button").addEventListener("click", calendarLink);
  $("delete-button").addEventListener("click", () => $("delete-dialog").showModal());
  $("delete-dialog").addEventListener("close", deleteAccount);
  $("sign-out").addEventListener("click", () => {
    signOut();
    state.profile = null;
    show("signed-out");
  });

  const config = await (await fetch("/api/web-config")).json();
  $("dev-sign-in").hidden = config.signIn !== "development";
  $("entra-sign-in").hidden = config.signIn !== "entra";
  $("no-sign-in").hidden = config.signIn !== "none";
  $("dev-sign-in").addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await developmentSignIn($("dev-user").value.trim());
      await signedIn();
    } catch (error) {
      say(error.message);
    }
  });
  $("entra-button").addEventListener("click", () => entraSignIn(config.entra).catch((error) => say(error.message)));

  try {
    if (config.signIn === "entra") {
      await startEntra(config.entra);
    }
  } catch (error) {
    say(error.message);
  }
  if (currentToken()) {
    await signedIn();
  } else {
    show("signed-out");
  }
  document.body.dataset.ready = "true";
}

start().catch((error) => say(`Something went wrong: ${error.message}`));
