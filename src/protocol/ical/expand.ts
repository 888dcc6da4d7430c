import ICAL from 'ical.js';
import { eachInstance, overlaps, type TimeWindow } from './occurrences.js';

const utc = (epochMs: number, isDate: boolean): ICAL.Time => {
  const time = ICAL.Time.fromJSDate(new Date(epochMs), true);
  if (isDate) time.isDate = true;
  return time;
};

/**
 * CALDAV:expand (RFC 4791 §9.6.5): the object's instances that overlap the window, each a
 * component of its own with RECURRENCE-ID and UTC times, and no RRULE, RDATE, EXDATE or VTIMEZONE.
 */
export function expandInstances(root: ICAL.Component, window: TimeWindow): string {
  const out = new ICAL.Component('vcalendar');
  for (const prop of root.getAllProperties()) out.addProperty(ICAL.Property.fromString(prop.toICALString()));
  const names = new Set(root.getAllSubcomponents().filter((c) => c.name !== 'vtimezone').map((c) => c.name));
  for (const name of names) {
    const found: { start: number; component: ICAL.Component }[] = [];
    eachInstance(root, name, window, (instance) => {
      if (!overlaps(instance, window)) return;
      const copy = new ICAL.Component(JSON.parse(JSON.stringify(instance.component.toJSON())) as unknown[]);
      for (const prop of ['rrule', 'rdate', 'exdate', 'dtstart', 'dtend', 'recurrence-id']) copy.removeAllProperties(prop);
      const dtstart = instance.component.getFirstPropertyValue('dtstart');
      const isDate = dtstart instanceof ICAL.Time && dtstart.isDate;
      if (Number.isFinite(instance.start)) copy.addPropertyWithValue('dtstart', utc(instance.start, isDate));
      if (instance.component.hasProperty('dtend') && Number.isFinite(instance.end)) copy.addPropertyWithValue('dtend', utc(instance.end, isDate));
      if (instance.recurrenceId) copy.addPropertyWithValue('recurrence-id', utc(instance.recurrenceId.toUnixTime() * 1000, instance.recurrenceId.isDate));
      found.push({ start: instance.start, component: copy });
    });
    found.sort((a, b) => a.start - b.start);
    for (const { component } of found) out.addSubcomponent(component);
  }
  return `${out.toString()}\r\n`;
}
