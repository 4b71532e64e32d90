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
   * `handlers.pin(visit)` to pin or unpin it.
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
    element.addEventListener('keydown', (e) => this.key(e));
  }

  /** `rows`: units `{id, name, colour}`; `dates`: `{date, weekday, week}`; `visits`: blocks. */
  render(rows, dates, visits) {
    this.visits = new Map(visits.map((v) => [v.key, v]));
    const starts = visits.map((v) => minutes(v.start));
    const ends = visits.map((v) => minutes(v.end));
    const from = Math.min(8 * 60, ...starts);
    const to = Math.max(18 * 60, ...ends);
    const top = (clock) => `${(100 * (minutes(clock) - from)) / (to - from)}%`;
    const height = (a, b) => `${(100 * (minutes(b) - minutes(a))) / (to - from)}%`;
    const head = dates.map((d) => `<div class="day" role="columnheader">${escapeHtml(dayLabel(d.date))}</div>`).join('');
    const body = rows.map((unit) => {
      const cells = dates.map((d) => {
        const blocks = visits.filter((v) => v.unit === unit.id && v.date === d.date).map((v) => {
          const style = `top:${top(v.start)};height:${height(v.start, v.end)};--unit:${unit.colour}`;
          if (v.kind === 'break') return `<div class="block break" style="${style}" aria-label="pause ${v.start}–${v.end}"></div>`;
          const movable = v.kind === 'stop';
          return `<div class="block ${v.kind}${v.pinned ? ' pinned' : ''}" style="${style}" tabindex="0" role="button"
              data-key="${escapeHtml(v.key)}" ${movable ? 'data-movable="true"' : ''}
              aria-label="${escapeHtml(`${v.title}, ${v.start}–${v.end}${v.pinned ? ', épinglé' : ''}`)}">
            <span class="time">${v.start}–${v.end}</span> <span class="title">${escapeHtml(v.title)}</span>
            ${movable ? `<span class="actions"><button type="button" class="pin" data-pin="${escapeHtml(v.key)}" aria-pressed="${v.pinned}" title="${v.pinned ? 'Désépingler' : 'Épingler ce créneau'}" aria-label="${v.pinned ? 'Désépingler' : 'Épingler'}">⚑</button><button type="button" class="move" data-move="${escapeHtml(v.key)}" title="Déplacer vers un autre jour ou une autre unité" aria-label="Déplacer">⇄</button></span>` : ''}
          </div>`;
        }).join('');
        return `<div class="cell" role="cell" data-unit="${escapeHtml(unit.id)}" data-date="${d.date}">${blocks}</div>`;
      }).join('');
      return `<div class="unit" role="rowheader" style="--unit:${unit.colour}">${escapeHtml(unit.name)}</div>${cells}`;
    }).join('');
    this.element.innerHTML = `<div class="grid-timetable" role="table" style="--days:${dates.length}">
      <div class="corner"></div>${head}${body}</div>`;
  }

  highlight(key) {
    for (const node of this.element.querySelectorAll('.block.selected')) node.classList.remove('selected');
    const block = this.element.querySelector(`[data-key="${CSS.escape(key)}"]`);
    if (!block) return;
    block.classList.add('selected');
    block.scrollIntoView({ block: 'nearest', inline: 'nearest' });
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
