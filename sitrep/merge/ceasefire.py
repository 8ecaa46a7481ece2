"""Ceasefires as objects, and the hostile events reported after them (their violations).

A ceasefire is a stored `ceasefire` event that is not background: its parties (the states it
binds), mediator, who announced it, its start (the day, and the hour in UTC when the text gives
one) and its scope (the parties' countries). A hostile event (violence) between two of its
parties (one attacking the other), inside its scope, after its start and before its reported end
(or within `HORIZON_DAYS` when none is reported), is a reported violation: `events.ceasefire_id`
names the latest such ceasefire. A same-day event without an hour is not counted: the text does
not say it came after.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from sitrep.events.ontology import load_ontology

if TYPE_CHECKING:
    from sitrep.store.core import Store

_STATE = re.compile(r"[A-Z]{3}")
#: How long after its start a ceasefire whose end no one reports still collects violations:
#: reports of breaches come in the weeks after it; a clash months later is a new round.
HORIZON_DAYS = 60


def ceasefire_rows(store: Store) -> list[dict[str, Any]]:
    rows = []
    cur = store.con.execute(
        "SELECT e.event_id, e.actor1_country, e.actor2_country, e.targets, e.mediator_country, "
        "e.event_date, e.event_time, e.country, "
        '(SELECT array_agg(DISTINCT c."by" ORDER BY c."by") FROM claims c '
        "WHERE c.event_id = e.event_id AND c.stance = 'asserts' AND c.\"by\" IS NOT NULL) "
        "FROM events e WHERE e.type = 'ceasefire' AND NOT e.historical ORDER BY e.event_id"
    )
    for eid, a1, a2, targets, mediator, day, time, country, by in cur.fetchall():
        parties = sorted(
            {x for x in (a1, a2, *(targets or [])) if x and _STATE.fullmatch(x)} - {mediator}
        )
        scope = sorted(set(parties) | ({country} if country else set()))
        rows.append({"ceasefire_id": eid, "parties": parties, "mediator": mediator,
                     "announced_by": list(by or []), "start_date": day, "start_time": time,
                     "scope": scope, "end_date": None})  # fmt: skip
    return rows


def link_violations(store: Store) -> tuple[int, int]:
    """Rebuild the ceasefires table and every event's `ceasefire_id`; (ceasefires, violations).
    One set-based statement: each hostile event is joined to the ceasefires of its attacker's
    state against another party (equi-joins), and keeps the latest that had started before it."""
    con = store.con
    rows = ceasefire_rows(store)
    con.execute("DELETE FROM ceasefires")
    store._insert("ceasefires", rows)
    con.execute("UPDATE events SET ceasefire_id = NULL WHERE ceasefire_id IS NOT NULL")
    hostile = sorted(t.code for t in load_ontology().types.values() if t.hostile)
    con.execute(
        "UPDATE events SET ceasefire_id = m.cid FROM (SELECT event_id, cid FROM ("
        "  SELECT e.event_id, c.ceasefire_id AS cid, row_number() OVER (PARTITION BY e.event_id "
        "         ORDER BY c.start_date DESC, coalesce(c.start_time, '') DESC, "
        "         c.ceasefire_id DESC) AS latest "
        "  FROM events e "
        "  JOIN (SELECT c.*, s.side AS other FROM (SELECT *, unnest(parties) AS party "
        "        FROM ceasefires WHERE cardinality(parties) >= 2 AND start_date IS NOT NULL) c "
        "        JOIN (SELECT ceasefire_id, unnest(parties) AS side FROM ceasefires) s "
        "        ON s.ceasefire_id = c.ceasefire_id AND s.side <> c.party) c "
        "    ON e.actor1_country = c.party "
        "  WHERE e.type IN (SELECT unnest($1::VARCHAR[])) AND NOT e.historical "
        "    AND (e.actor2_country = c.other OR c.other = ANY(e.targets) "
        "         OR (e.actor2_country IS NULL AND e.country = c.other)) "
        "    AND (e.country IS NULL OR e.country = ANY(c.scope)) "
        "    AND (e.event_date > c.start_date OR (e.event_date = c.start_date "
        "         AND c.start_time IS NOT NULL AND e.event_time IS NOT NULL "
        "         AND e.event_time >= c.start_time)) "
        "    AND e.event_date <= coalesce(c.end_date, c.start_date + $2::INTEGER) "
        ") ranked WHERE latest = 1) m "
        "WHERE events.event_id = m.event_id",
        [hostile, HORIZON_DAYS],
    )
    row = con.execute("SELECT count(*) FROM events WHERE ceasefire_id IS NOT NULL").fetchone()
    return len(rows), int(row[0]) if row else 0
