// The weekly timetable: one row per unit, one column per date, each visit a block placed at
// its time. Stop blocks can be dragged to another unit or day (mouse or pen at once; a finger
// after a long press, so that a swipe scrolls), moved with the keyboard through a dialog, and
// pinned or unpinned.

import { escapeHtml, dayLabel } from './format.js';

/** How long a finger rests on a block before it can drag it. */
const LONG_PRESS_MS = 450;
/** How far a pointer moves before it is a drag (or, for a finger not yet resting, a scroll). */
const SLOP_PX = 6;

function minutes(clock) {
  const [h, m] = clock.split(':').map(Number);
  return h * 60 + m;
}

export class Timetable {
  /**
   * `handlers.select(key)` when a block is chosen, `handlers.move(visit, unit, date)` when a stop
   * block is dropped on another cell, `handlers.dialog(visit)` to move it by keyboard,
   * `handlers.pin(visit)` to pin or unpin it, `handlers.hover(key)` when the pointer is over a
   * block.
   */
  constructor(element, handlers) {
    this.element = element;
    this.handlers = handlers;
    this.visits = new Map();
    this.drag = null;
    element.addEventListener('pointerdown', (e) => this.pointerDown(e));
    element.addEventListener('pointermove', (e) => this.pointerMove(e));
    element.addEventListener('pointerup', (e) => this.pointerUp(e));
    element.addEventListener('pointercancel', () => this.endDrag());
    // Once a finger has rested on a block, its moves drag the block instead of scrolling.
    element.addEventListener('touchmove', (e) => { if (this.drag?.armed) e.preventDefault(); }, { passive: false });
    element.addEventListener('click', (e) => this.click(e));
    element.addEventListener('pointerover', (e) => {
      const block = e.target.closest('.block[data-key]');
      if (block && !this.drag) this.handlers.hover?.(block.dataset.key);
    });
    element.addEventListener('keydown', (e) => this.key(e));
  }

  /**
   * `rows`: units `{id, name, colour}`; `dates`: `{date, weekday, week}` (one week shown at a
   * time); `visits`: blocks. Each row has an hour scale and hour lines; a block too short for
   * its text shows it whole on hover (`title`) and to screen readers.
   */
  render(rows, dates, visits) {
    this.visits = new Map(visits.map((v) => [v.key, v]));
    const starts = visits.map((v) => minutes(v.start));
    const ends = visits.map((v) => minutes(v.end));
    const from = Math.floor(Math.min(8 * 60, ...starts) / 60) * 60;
    const to = Math.ceil(Math.max(18 * 60, ...ends) / 60) * 60;
    const at = (m) => `${(100 * (m - from)) / (to - from)}%`;
    const top = (clock) => at(minutes(clock));
    const height = (a, b) => `${(100 * (minutes(b) - minutes(a))) / (to - from)}%`;
    const hours = [];
    for (let m = from; m <= to; m += 60) hours.push(m);
    const lines = hours.map((m) => `<span class="hour-line" style="top:${at(m)}"></span>`).join('');
    const scale = hours.slice(0, -1).map((m) => `<span class="hour" style="top:${at(m)}">${m / 60} h</span>`).join('');
    const head = dates.map((d) => `<div class="day" role="columnheader">${escapeHtml(dayLabel(d.date))}</div>`).join('');
    const body = rows.map((unit) => {
      const cells = dates.map((d) => {
        const blocks = visits.filter((v) => v.unit === unit.id && v.date === d.date).map((v) => {
          const style = `top:${top(v.start)};height:${height(v.start, v.end)};--unit:${unit.colour}`;
          if (v.kind === 'break') {
            return `<div class="block break" style="${style}" title="Pause déjeuner ${v.start}–${v.end}" aria-label="pause déjeuner ${v.start}–${v.end}"><span class="title">Pause</span></div>`;
          }
          const movable = v.kind === 'stop';
          const label = `${v.title}, ${v.start}–${v.end}${v.pinned ? ', épinglé' : ''}`;
          return `<div class="block ${v.kind}${v.pinned ? ' pinned' : ''}" style="${style}" tabindex="0" role="group"
              data-key="${escapeHtml(v.key)}" ${movable ? 'data-movable="true"' : ''} title="${escapeHtml(label)}"
              aria-label="${escapeHtml(label)}">
            <span class="time">${v.pinned ? '⚑ ' : ''}${v.start}–${v.end}</span> <span class="title">${escapeHtml(v.title)}</span>
            ${movable ? `<span class="actions"><button type="button" class="pin" data-pin="${escapeHtml(v.key)}" aria-pressed="${v.pinned}" title="${v.pinned ? 'Désépingler' : 'Épingler ce créneau'}" aria-label="${v.pinned ? 'Désépingler' : 'Épingler'} ${escapeHtml(v.title)}">⚑</button><button type="button" class="move" data-move="${escapeHtml(v.key)}" title="Déplacer vers un autre jour ou une autre unité" aria-label="Déplacer ${escapeHtml(v.title)}">⇄</button></span>` : ''}
          </div>`;
        }).join('');
        return `<div class="cell" role="cell" data-unit="${escapeHtml(unit.id)}" data-date="${d.date}">${lines}${blocks}</div>`;
      }).join('');
      return `<div class="row" role="row"><div class="unit" role="rowheader" style="--unit:${unit.colour}"><span class="name">${escapeHtml(unit.name)}</span>${scale}</div>${cells}</div>`;
    }).join('');
    this.element.innerHTML = `<div class="grid-timetable" role="table" aria-label="Agenda de la semaine" style="--days:${dates.length}">
      <div class="row" role="row"><div class="corner" role="columnheader"><span class="visually-hidden">Unité</span></div>${head}</div>${body}</div>`;
  }

  /** Marks one block as selected; `scroll: false` leaves the view (a hover on the map). */
  highlight(key, { scroll = true } = {}) {
    for (const node of this.element.querySelectorAll('.block.selected')) node.classList.remove('selected');
    const block = this.element.querySelector(`[data-key="${CSS.escape(key)}"]`);
    if (!block) return;
    block.classList.add('selected');
    if (scroll) block.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }

  click(event) {
    const pin = event.target.closest('[data-pin]');
    const move = event.target.closest('[data-move]');
    if (pin) return this.handlers.pin(this.visits.get(pin.dataset.pin));
    if (move) return this.handlers.dialog(this.visits.get(move.dataset.move));
    const block = event.target.closest('.block[data-key]');
    if (block && !this.justDragged) this.handlers.select(block.dataset.key);
    this.justDragged = false;
  }

  key(event) {
    const block = event.target.closest('.block[data-key]');
    if (!block || event.target !== block) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      this.handlers.select(block.dataset.key);
    } else if ((event.key === 'm' || event.key === 'M') && block.dataset.movable) {
      // The key opens the dialog; it must not also type "m" into the dialog's first field.
      event.preventDefault();
      this.handlers.dialog(this.visits.get(block.dataset.key));
    }
  }

  pointerDown(event) {
    const block = event.target.closest('.block[data-movable]');
    if (!block || event.target.closest('button') || event.button > 0) return;
    const touch = event.pointerType === 'touch';
    this.drag = { block, x: event.clientX, y: event.clientY, moved: false, ghost: null, armed: !touch, timer: null };
    if (touch) {
      const drag = this.drag;
      drag.timer = setTimeout(() => {
        drag.armed = true;
        block.classList.add('armed');
      }, LONG_PRESS_MS);
    } else {
      block.setPointerCapture(event.pointerId);
    }
  }

  pointerMove(event) {
    const drag = this.drag;
    if (!drag) return;
    const dx = event.clientX - drag.x;
    const dy = event.clientY - drag.y;
    if (!drag.moved && Math.hypot(dx, dy) < SLOP_PX) return;
    if (!drag.armed) {
      // A finger that moves before resting is scrolling the page: let it.
      this.endDrag();
      return;
    }
    if (!drag.moved) {
      drag.moved = true;
      drag.ghost = drag.block.cloneNode(true);
      drag.ghost.classList.add('ghost');
      drag.ghost.style.width = `${drag.block.offsetWidth}px`;
      document.body.appendChild(drag.ghost);
      drag.block.classList.add('dragging');
    }
    drag.ghost.style.left = `${event.clientX + 8}px`;
    drag.ghost.style.top = `${event.clientY + 8}px`;
    for (const cell of this.element.querySelectorAll('.cell.drop')) cell.classList.remove('drop');
    this.cellAt(event)?.classList.add('drop');
  }

  pointerUp(event) {
    const drag = this.drag;
    if (!drag) return;
    const cell = drag.moved ? this.cellAt(event) : null;
    this.endDrag();
    if (!cell) return;
    this.justDragged = true;
    const visit = this.visits.get(drag.block.dataset.key);
    if (cell.dataset.unit !== visit.unit || cell.dataset.date !== visit.date) {
      this.handlers.move(visit, cell.dataset.unit, cell.dataset.date);
    }
  }

  cellAt(event) {
    const ghost = this.drag?.ghost;
    if (ghost) ghost.style.display = 'none';
    const cell = document.elementFromPoint(event.clientX, event.clientY)?.closest('.cell');
    if (ghost) ghost.style.display = '';
    return cell && this.element.contains(cell) ? cell : null;
  }

  endDrag() {
    if (!this.drag) return;
    clearTimeout(this.drag.timer);
    this.drag.ghost?.remove();
    this.drag.block.classList.remove('dragging', 'armed');
    for (const cell of this.element.querySelectorAll('.cell.drop')) cell.classList.remove('drop');
    this.drag = null;
  }
}
