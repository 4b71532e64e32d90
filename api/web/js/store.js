// What the dispatcher is working on survives a reload: the problem being edited and the plan in
// force, kept in this browser's local storage (the service keeps the plans themselves).

const PROBLEM = 'tournee-problem';
const IN_FORCE = 'tournee-in-force';

function read(key) {
  try {
    return JSON.parse(localStorage.getItem(key) || 'null');
  } catch {
    return null;
  }
}

function write(key, value) {
  try {
    if (value == null) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // A full or disabled storage only loses the convenience of resuming, never the work on screen.
  }
}

export const store = {
  /** The problem last edited, or null. */
  get problem() { return read(PROBLEM); },
  set problem(value) { write(PROBLEM, value); },
  /** The plan in force (`{jobId, plan}`): what re-plans are compared with, or null. */
  get inForce() { return read(IN_FORCE); },
  set inForce(value) { write(IN_FORCE, value); },
};
