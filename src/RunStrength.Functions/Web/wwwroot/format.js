// Shared helpers: safe element building and the user's units.

/** el("p", { class: "x" }, "text", child): an element; strings become text, never HTML. */
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) {
      continue;
    }
    if (name.startsWith("on")) {
      element.addEventListener(name.slice(2), value);
    } else {
      element.setAttribute(name, value === true ? "" : value);
    }
  }
  for (const child of children.flat(Infinity)) {
    if (child !== null && child !== undefined && child !== false) {
      element.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
  return element;
}

export const days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
export const dayNames = { mon: "Monday", tue: "Tuesday", wed: "Wednesday", thu: "Thursday", fri: "Friday", sat: "Saturday", sun: "Sunday" };

const kilogramsPerPound = 0.45359237;
const metresPerMile = 1609.344;

/** A pace band given in seconds per km, as min:ss per km or per mile. */
export function pace(band, units) {
  const perUnit = units === "imperial" ? metresPerMile / 1000 : 1;
  const clock = (seconds) => {
    const total = Math.round(seconds * perUnit);
    return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, "0")}`;
  };
  return `${clock(band.min)}-${clock(band.max)} /${units === "imperial" ? "mi" : "km"}`;
}

export const loadUnit = (units) => (units === "imperial" ? "lb" : "kg");

/** A load typed in the user's units, as the kilograms the API stores. */
export const toKilograms = (value, units) => (units === "imperial" ? Math.round(value * kilogramsPerPound * 10) / 10 : value);

/** The ISO week ("2026-W49") of a date given as yyyy-mm-dd. */
export function isoWeek(date) {
  const day = new Date(`${date}T00:00:00Z`);
  const thursday = new Date(day);
  thursday.setUTCDate(day.getUTCDate() + 3 - ((day.getUTCDay() + 6) % 7));
  const yearStart = new Date(Date.UTC(thursday.getUTCFullYear(), 0, 1));
  const week = 1 + Math.floor((thursday - yearStart) / (7 * 86_400_000));
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}

/** yyyy-mm-dd, the given number of days later (or earlier). */
export function addDays(date, count) {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + count);
  return day.toISOString().slice(0, 10);
}
