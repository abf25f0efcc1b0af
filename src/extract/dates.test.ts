import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addDays, findDates } from './dates.ts';
import { extractDocument } from './extract-document.ts';

const only = (text: string, published = '2025-03-25') => {
  const found = findDates(text, published);
  assert.equal(found.length, 1, `one date in "${text}", got ${JSON.stringify(found)}`);
  const [mention] = found;
  assert.equal(text.slice(mention!.start, mention!.end), mention!.text);
  return mention!;
};

test('explicit day forms', () => {
  assert.equal(only('On 4 March 2023, a bomb went off.').date, '2023-03-04');
  assert.equal(only('It happened on March 4th, 2023 in town.').date, '2023-03-04');
  assert.equal(only('Report dated 2023-03-04.').date, '2023-03-04');
  assert.equal(only('11/09/2019: gunmen fired.').date, '2019-11-09');
  assert.equal(only('25/12/2019: gunmen fired.').date, '2019-12-25');
  assert.equal(only('On 4 March 2023, a bomb went off.').precision, 'day');
});

test('day and month without a year take the latest one before publication', () => {
  assert.equal(only('Police said that on 2 April the road was shut.', '2025-03-25').date, '2024-04-02');
  assert.equal(only('On 20 March the road was shut.', '2025-03-25').date, '2025-03-20');
});

test('relative months resolve against the publication date', () => {
  const thisMonth = only('The raid earlier this month shocked many.');
  assert.deepEqual([thisMonth.date, thisMonth.precision], ['2025-03-01', 'month']);
  assert.equal(only('Last June the state announced a plan.').date, '2024-06-01');
  assert.equal(only('They struck a depot in October.').date, '2024-10-01');
  assert.equal(only('They struck a depot in February.').date, '2025-02-01');
  assert.equal(only('The group formed last year.').precision, 'year');
  assert.equal(only('The group formed last year.').date, '2024-01-01');
  assert.equal(only('The market was bombed yesterday.').date, '2025-03-24');
});

test('weekdays and "ago"', () => {
  // 2025-03-25 is a Tuesday
  assert.equal(only('Gunmen struck on Sunday.').date, '2025-03-23');
  assert.equal(only('Gunmen struck three days ago.').date, '2025-03-22');
  // a news lead opens with the weekday
  assert.equal(only('On Sunday, a roadside bomb killed two policemen.').date, '2025-03-23');
  assert.equal(only('Last Friday militants torched trucks.').date, '2025-03-21');
  assert.equal(findDates('Sunday schools were shut.', '2025-03-25').length, 0, 'a weekday alone is no date');
});

test('a lead that opens "On Sunday," gives its event', () => {
  const result = extractDocument(
    'On Sunday, a roadside bomb killed two policemen in Turbat, Kech district. No group claimed the attack.',
    { published: '2025-03-25' },
  );
  assert.equal(result.events.length, 1);
  assert.deepEqual([result.events[0]?.date, result.events[0]?.fatalities?.best], ['2025-03-23', 2]);
});

test('a bare year gives year precision, amounts are not years', () => {
  const y = only('the 2014 school massacre in the city');
  assert.deepEqual([y.date, y.precision, y.kind], ['2014-01-01', 'year', 'year']);
  assert.equal(findDates('He led 2000 troops and paid $2015.', '2025-03-25').length, 0);
});

test('anchored dates point at another event, future dates are flagged', () => {
  const a = only('A press conference several days after the attack.');
  assert.equal(a.kind, 'anchored');
  assert.equal(a.date, null);
  assert.ok((a.anchorOffsetDays ?? 0) > 0);
  assert.equal(only('Production starts by 2028.').future, true);
  assert.equal(addDays('2024-02-28', 2), '2024-03-01');
});

test('lower-case "may" is not a month', () => {
  assert.equal(findDates('The group may strike in may.', '2025-03-25').length, 0);
});

test('a feast named with its year is that day: Easter by the Gregorian computus, Christmas', () => {
  const easter = only('Survivors of the 2019 Easter bombings met in Colombo.');
  assert.deepEqual([easter.date, easter.precision, easter.text], ['2019-04-21', 'day', '2019 Easter']);
  assert.equal(only('The church was attacked on Easter Sunday 2016.').date, '2016-03-27');
  assert.equal(only('The 2000 Easter vigil drew crowds.').date, '2000-04-23');
  assert.equal(only('The 2038 Easter service will be held.', '2040-01-01').date, '2038-04-25');
  assert.equal(only('Gunmen struck on Christmas Eve, 2023.').date, '2023-12-24');
  assert.equal(only('The 2011 Christmas Day bombing shook the city.').date, '2011-12-25');
  // Easter Eve is no Sunday: the year alone
  assert.deepEqual(
    [only('the 2016 Easter Eve raid').date, only('the 2016 Easter Eve raid').precision],
    ['2016-01-01', 'year'],
  );
  // lower-case "easter" is a direction word in some texts: not a feast
  assert.equal(only('the 2016 easter road blast').precision, 'year');
});
