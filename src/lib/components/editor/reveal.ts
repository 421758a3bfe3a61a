/**
 * Bringing a field of a moved question into view. For the length of its FLIP animation a moved
 * question is still drawn at its old place (a transform), and scrollIntoView measures what is
 * drawn: the page stayed put and the question landed out of sight. This measures where it lands.
 */

const FOCUS_RING_ROOM = 8;

/** The least scroll that shows `field` where it comes to rest inside `item`, the moving entry. */
export function revealAtRest(field: HTMLElement, item: HTMLElement): void {
	const parent = item.offsetParent;
	if (!(parent instanceof HTMLElement)) {
		field.scrollIntoView({ block: 'nearest' });
		return;
	}
	// The entry's layout box (offsetTop ignores transforms) against its drawn box, which the
	// animation may also scale: the field sits at the same fraction of both.
	const drawn = item.getBoundingClientRect();
	const top = parent.getBoundingClientRect().top + parent.clientTop + item.offsetTop;
	const scale = drawn.height > 0 ? item.offsetHeight / drawn.height : 1;
	const box = field.getBoundingClientRect();
	const fieldTop = top + (box.top - drawn.top) * scale;
	const fieldBottom = top + (box.bottom - drawn.top) * scale;

	// The sticky bar's room, as the editor gives it to every jump (scroll-padding-top), and a
	// little more so the focus ring shows whole.
	const root = getComputedStyle(document.documentElement);
	const above = (parseFloat(root.scrollPaddingTop) || 0) + FOCUS_RING_ROOM;
	const below = innerHeight - (parseFloat(root.scrollPaddingBottom) || 0) - FOCUS_RING_ROOM;
	// Rounded outwards: the page scrolls by whole pixels, and half of one would still cut it.
	if (fieldTop < above) scrollBy(0, Math.floor(fieldTop - above));
	else if (fieldBottom > below)
		scrollBy(0, Math.ceil(Math.min(fieldBottom - below, fieldTop - above)));
}
