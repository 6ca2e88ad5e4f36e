// The graph explorer: a picture of who is tied to whom, drawn with
// Cytoscape.js from coopgraph's public GraphQL API only (search, network,
// paths, timeline, entity and passage), so it doubles as an example for
// front-end developers. No framework: one file, read top to bottom.
(function () {
  'use strict';
  cytoscape.use(cytoscapeFcose);

  // ---------- GraphQL ----------

  // The fields that say how to draw an entity, whatever its type.
  const END = `fragment End on Entity { __typename id name synthetic
  ... on Actor { actorKind: kind } ... on Place { placeKind: kind } ... on Agreement { agreementKind: kind }
  ... on Event { eventType } ... on Source { sourceKind: kind } }`;
  const TIE = 'id type status basis since until role';

  // A deployment that serves reads only with a credential
  // (-read-access credential) takes an API key or JWT, kept for this tab.
  function credential() { return sessionStorage.getItem('coopgraph-key') || ''; }

  async function gql(query, variables) {
    const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
    if (credential()) headers.Authorization = 'Bearer ' + credential();
    const res = await fetch('/graphql', {
      method: 'POST',
      headers: headers,
      body: JSON.stringify({ query: query, variables: variables || {} }),
    });
    let body;
    try { body = await res.json(); } catch (e) { throw new Error('the API answered ' + res.status); }
    if (body.errors && body.errors.length) {
      const e = body.errors[0];
      throw new Error(e.message + (e.extensions && e.extensions.code ? ' (' + e.extensions.code + ')' : ''));
    }
    return body.data;
  }

  // ---------- Page state ----------

  const $ = (id) => document.getElementById(id);
  const state = {
    date: null,              // "YYYY-MM" when the slider is on
    hidden: new Set(),       // relationship types not shown
    more: {},                // node id -> { after, total } while it has ties not on screen
    path: null,              // { from, to, hops } of the last path search
    pathIDs: new Set(),      // elements on the paths found
  };
  let busy = 0;

  function status(text, isError) {
    const el = $('status');
    el.textContent = text || '';
    el.style.color = isError ? '#ff9c9c' : '';
  }

  async function task(what, work) {
    busy++;
    status(what + '…');
    try {
      const out = await work();
      status('');
      return out;
    } catch (e) {
      status(what + ' failed: ' + e.message, true);
      throw e;
    } finally {
      busy--;
      document.body.dataset.busy = String(busy);
    }
  }

  // ---------- Drawing rules: colour and shape by type and kind ----------

  const TYPE_SHAPE = { Actor: 'ellipse', Place: 'round-triangle', Agreement: 'round-rectangle', Meeting: 'diamond',
    Event: 'star', Statistic: 'barrel', Source: 'rectangle' };
  const TYPE_COLOUR = { Place: '#76b7b2', Agreement: '#b07aa1', Meeting: '#edc948', Event: '#ff9da7',
    Statistic: '#9c755f', Source: '#bab0ac' };
  const ACTOR_COLOUR = { PERSON: '#4e79a7', GOVERNMENT: '#59a14f', MINISTRY: '#8cd17d', ARMED_FORCE: '#b6992d',
    INTERNATIONAL_BODY: '#499894', CRIMINAL_GROUP: '#e15759', CARTEL: '#9d2235', COUNTRY: '#f28e2b' };
  const STATUS_STYLE = {
    CONFIRMED: { width: 2.6, style: 'solid', colour: '#3b4656' },
    REPORTED: { width: 1.6, style: 'solid', colour: '#6b7890' },
    ALLEGED: { width: 1.6, style: 'dashed', colour: '#8a6fb0' },
    DISPUTED: { width: 1.8, style: 'dotted', colour: '#c0392b' },
    ENDED: { width: 1.4, style: 'dashed', colour: '#b3b9c2' },
  };

  function colourOf(n) { return n.type === 'Actor' ? (ACTOR_COLOUR[n.kind] || '#4e79a7') : (TYPE_COLOUR[n.type] || '#999'); }

  function nodeData(e) {
    // From a network node ({id name kind type synthetic}) or an End fragment.
    const type = e.type || e.__typename;
    const kind = e.kind || e.actorKind || e.placeKind || e.agreementKind || e.eventType || e.sourceKind ||
      (type === 'Meeting' ? 'MEETING' : type === 'Statistic' ? 'STATISTIC' : '');
    const d = { id: e.id, name: e.name, type: type, kind: kind, synthetic: !!e.synthetic };
    d.colour = colourOf(d);
    d.shape = TYPE_SHAPE[type] || 'ellipse';
    d.label = e.name.length > 34 ? e.name.slice(0, 32) + '…' : e.name;
    return d;
  }

  function edgeData(r, source, target) {
    const s = STATUS_STYLE[r.status] || STATUS_STYLE.REPORTED;
    return { id: r.id, source: source, target: target, type: r.type, status: r.status, basis: r.basis || 'STATED',
      since: r.since || null, until: r.until || null, role: r.role || null,
      width: s.width, lineStyle: s.style, colour: s.colour,
      label: r.type.toLowerCase().replace(/_/g, ' ') + (r.basis === 'INFERRED' ? ' (inferred)' : '') };
  }

  const cy = cytoscape({
    container: $('cy'),
    wheelSensitivity: 0.3,
    minZoom: 0.05,
    maxZoom: 4,
    style: [
      { selector: 'node', style: {
        'background-color': 'data(colour)', shape: 'data(shape)', label: 'data(label)', 'font-size': 10,
        'text-valign': 'bottom', 'text-margin-y': 3, 'text-wrap': 'none', width: 22, height: 22,
        'border-width': 1, 'border-color': '#00000055', 'text-background-color': '#fff', 'text-background-opacity': 0.7,
        'text-background-padding': 1, 'min-zoomed-font-size': 7 } },
      { selector: 'node[?synthetic]', style: { 'background-opacity': 0.55 } },
      { selector: 'node.more', style: { 'border-width': 3, 'border-style': 'dashed', 'border-color': '#f0a500' } },
      { selector: 'node.pinned', style: { 'border-width': 3, 'border-style': 'double', 'border-color': '#1d2d44' } },
      { selector: 'node:selected', style: { 'border-width': 4, 'border-color': '#f0a500', 'border-style': 'solid' } },
      { selector: 'edge', style: {
        width: 'data(width)', 'line-style': 'data(lineStyle)', 'line-color': 'data(colour)',
        'target-arrow-shape': 'triangle', 'target-arrow-color': 'data(colour)', 'arrow-scale': 0.8,
        'curve-style': 'bezier', label: 'data(label)', 'font-size': 8, color: '#556070',
        'text-rotation': 'autorotate', 'text-background-color': '#fff', 'text-background-opacity': 0.8,
        'min-zoomed-font-size': 8 } },
      { selector: 'edge[basis = "INFERRED"]', style: { 'target-arrow-fill': 'hollow', 'line-opacity': 0.6 } },
      { selector: 'edge:selected', style: { 'line-color': '#f0a500', 'target-arrow-color': '#f0a500', width: 4 } },
      { selector: 'edge.path', style: { 'line-color': '#e8590c', 'target-arrow-color': '#e8590c', width: 4.5, 'z-index': 10 } },
      { selector: 'node.path', style: { 'border-color': '#e8590c', 'border-width': 4, 'z-index': 10 } },
      { selector: '.inactive', style: { opacity: 0.15 } },
      { selector: '.hidden-type', style: { display: 'none' } },
    ],
  });

  // ---------- Adding to the picture ----------

  function addNodes(list) {
    const added = [];
    for (const n of list) {
      if (!cy.getElementById(n.id).nonempty()) added.push({ group: 'nodes', data: nodeData(n) });
    }
    return cy.add(added);
  }

  function addEdges(list) {
    const added = [];
    for (const e of list) {
      if (cy.getElementById(e.data.id).empty() && cy.getElementById(e.data.source).nonempty() &&
          cy.getElementById(e.data.target).nonempty()) added.push({ group: 'edges', data: e.data });
    }
    return cy.add(added);
  }

  // Network answers are nodes and edges as a drawing library takes them.
  function addNetwork(net) {
    const nodes = addNodes(net.nodes);
    const edges = addEdges(net.edges.map((r) => ({ data: edgeData(r, r.source, r.target) })));
    return nodes.union(edges);
  }

  const NETWORK = `query Network($ids: [ID!]!, $types: [RelationType!], $limit: Int, $perNode: Int) {
  network(ids: $ids, depth: 1, types: $types, limit: $limit, perNode: $perNode) {
    truncated nodes { id name kind type synthetic } edges { ${TIE} source target } } }`;

  function shownTypes() {
    if (state.hidden.size === 0) return null;
    return allTypes.filter((t) => !state.hidden.has(t));
  }

  // expand places a node's neighbours around it.
  async function expand(id) {
    const data = await task('Expanding', () => gql(NETWORK, { ids: [id], types: shownTypes(), limit: 200, perNode: Number($('per-node').value) }));
    const net = data.network;
    const before = cy.nodes().length;
    const added = addNetwork(net);
    const node = cy.getElementById(id);
    node.data('expanded', true);
    if (net.truncated) {
      state.more[id] = state.more[id] || { after: null, total: null };
      node.addClass('more');
    }
    placeAround(node, added.nodes());
    afterChange(before === 0);
    return added;
  }

  // moreTies pages through a node's relationships (100 at a time): what a
  // truncated network left out.
  const MORE = `query More($id: ID!, $after: String, $types: [RelationType!]) {
  entity(id: $id) { relationships(first: 100, after: $after, types: $types) {
    totalCount pageInfo { hasNextPage endCursor } nodes { ${TIE} from { ...End } to { ...End } } } } }
${END}`;

  async function moreTies(id) {
    const m = state.more[id] || { after: null };
    const data = await task('Loading more ties', () => gql(MORE, { id: id, after: m.after, types: shownTypes() }));
    const conn = data.entity.relationships;
    const added = addNodes(conn.nodes.flatMap((r) => [r.from, r.to]));
    addEdges(conn.nodes.map((r) => ({ data: edgeData(r, r.from.id, r.to.id) })));
    const node = cy.getElementById(id);
    if (conn.pageInfo.hasNextPage) {
      state.more[id] = { after: conn.pageInfo.endCursor, total: conn.totalCount };
    } else {
      delete state.more[id];
      node.removeClass('more');
    }
    placeAround(node, added);
    afterChange(false);
    if (cy.$(':selected').id() === id) showNode(id);
  }

  // New nodes start in a ring around the node they came from; a layout
  // of the unpinned nodes then settles them.
  function placeAround(centre, nodes) {
    if (nodes.length === 0) return;
    const c = centre.nonempty() ? centre.position() : { x: 0, y: 0 };
    const r = 60 + 6 * Math.sqrt(nodes.length) * 10;
    nodes.forEach((n, i) => {
      const a = (2 * Math.PI * i) / nodes.length;
      n.position({ x: c.x + r * Math.cos(a), y: c.y + r * Math.sin(a) });
    });
    layout(false);
  }

  // Layouts are fCoSE's (spectral start, then forces): fluid up to the
  // 2,000 nodes a network answer may hold. all lays out everything afresh;
  // otherwise the nodes keep their places as a start. Pinned nodes stay.
  function layout(all) {
    if (cy.nodes().length < 2) { cy.fit(undefined, 60); return; }
    const big = cy.nodes().length > 800;
    cy.layout({
      name: 'fcose', animate: false, randomize: all === true, fit: true, padding: 40,
      quality: big ? 'draft' : 'default', nodeRepulsion: () => 6000, idealEdgeLength: () => 70,
      nodeSeparation: 60, numIter: big ? 1000 : 2500,
      fixedNodeConstraint: cy.nodes(':locked').map((n) => ({ nodeId: n.id(), position: n.position() })),
    }).run();
  }

  // ---------- After every change ----------

  let urlTimer = null;
  function afterChange(fit) {
    applyDate();
    applyTypes();
    $('empty').hidden = cy.nodes().length > 0;
    renderOnScreen();
    renderTypes();
    scheduleTimeline();
    if (fit) cy.fit(undefined, 50);
    scheduleSave();
  }

  // ---------- The date slider: what held on a date ----------

  // A date as the API writes it ("2024", "2024-05", "2024-05-06", "199X")
  // gives its first and last day; a tie may hold on D when it starts on or
  // before D's last day and ends on or after its first, as activeAt has it.
  function firstDay(d) { return pad(d.replace(/X/g, '0'), '-01-01'); }
  function lastDay(d) { return pad(d.replace(/X/g, '9'), '-12-31'); }
  function pad(d, tail) { return d.length >= 10 ? d.slice(0, 10) : d + (d.length === 4 ? tail : tail.slice(3)); }

  function mayHold(edge, date) {
    const since = edge.data('since'), until = edge.data('until');
    return (!since || firstDay(since) <= lastDay(date)) && (!until || lastDay(until) >= firstDay(date));
  }

  const START_YEAR = 1990;
  function monthIndexToDate(i) { const y = START_YEAR + Math.floor(i / 12), m = (i % 12) + 1; return y + '-' + String(m).padStart(2, '0'); }
  function dateToMonthIndex(d) { const [y, m] = d.split('-'); return (Number(y) - START_YEAR) * 12 + (Number(m || 1) - 1); }

  function setupDate() {
    const now = new Date();
    const slider = $('date');
    slider.max = String((now.getFullYear() - START_YEAR) * 12 + now.getMonth());
    slider.value = slider.max;
    $('date-any').addEventListener('change', () => setDate($('date-any').checked ? null : monthIndexToDate(Number(slider.value))));
    slider.addEventListener('input', () => setDate(monthIndexToDate(Number(slider.value))));
  }

  function setDate(d) {
    state.date = d;
    $('date-any').checked = !d;
    $('date').disabled = !d;
    if (d) $('date').value = String(dateToMonthIndex(d));
    $('date-label').textContent = d ? 'ties that may hold in ' + d : 'any date';
    afterChange(false);
  }

  function applyDate() {
    cy.batch(() => {
      cy.elements().removeClass('inactive');
      if (!state.date) return;
      cy.edges().forEach((e) => { if (!mayHold(e, state.date)) e.addClass('inactive'); });
      // A node whose every tie on screen did not hold is greyed too.
      cy.nodes().forEach((n) => {
        const ties = n.connectedEdges();
        if (ties.nonempty() && ties.every((e) => e.hasClass('inactive'))) n.addClass('inactive');
      });
    });
  }

  // ---------- Relationship-type filters ----------

  let allTypes = [];
  async function loadTypes() {
    const data = await gql('{ relationTypes { type } }');
    allTypes = data.relationTypes.map((r) => r.type);
    renderTypes();
  }

  // refocus puts the focus back on the control of a list rebuilt under
  // it (same data attribute), so keyboard users keep their place.
  function refocus(box, attr, rebuild) {
    const had = box.contains(document.activeElement) ? document.activeElement.dataset[attr] : null;
    rebuild();
    if (had) {
      const again = box.querySelector('[data-' + attr + '="' + CSS.escape(had) + '"]');
      if (again) again.focus();
    }
  }

  function renderTypes() { refocus($('types'), 'type', buildTypes); }

  function buildTypes() {
    const box = $('types');
    const present = new Set(cy.edges().map((e) => e.data('type')));
    box.textContent = '';
    for (const t of allTypes) {
      const label = document.createElement('label');
      const cb = document.createElement('input');
      cb.type = 'checkbox';
      cb.checked = !state.hidden.has(t);
      cb.dataset.type = t;
      cb.addEventListener('change', () => {
        if (cb.checked) state.hidden.delete(t); else state.hidden.add(t);
        afterChange(false);
      });
      label.append(cb, ' ' + t.toLowerCase().replace(/_/g, ' '));
      if (!present.has(t)) label.style.color = '#9aa3ae';
      box.append(label);
    }
  }

  function applyTypes() {
    cy.batch(() => cy.edges().forEach((e) => e.toggleClass('hidden-type', state.hidden.has(e.data('type')))));
  }

  // ---------- Legend ----------

  function renderLegend() {
    const box = $('legend');
    const entries = Object.keys(ACTOR_COLOUR).map((k) => [k.toLowerCase().replace(/_/g, ' '), ACTOR_COLOUR[k], 'Actor'])
      .concat(Object.keys(TYPE_COLOUR).map((t) => [t.toLowerCase(), TYPE_COLOUR[t], t]));
    for (const [label, colour, type] of entries) {
      const span = document.createElement('span');
      const sw = document.createElement('i');
      sw.className = 'swatch';
      sw.style.background = colour;
      if (TYPE_SHAPE[type] === 'ellipse') sw.style.borderRadius = '50%';
      span.append(sw, label);
      box.append(span);
    }
    for (const s of Object.keys(STATUS_STYLE)) {
      const span = document.createElement('span');
      const line = document.createElement('i');
      line.className = 'line';
      line.style.borderTopStyle = STATUS_STYLE[s].style;
      line.style.borderTopColor = STATUS_STYLE[s].colour;
      span.append(line, s.toLowerCase());
      box.append(span);
    }
    for (const [t, mark] of [['actor', '●'], ['place', '▲'], ['agreement', '▬'], ['meeting', '◆'], ['event', '★'], ['statistic', '⬮'], ['source', '■']]) {
      box.append(el('span', mark + ' ' + t));
    }
    const inferred = document.createElement('span');
    inferred.textContent = '▷ hollow arrow: inferred';
    const more = document.createElement('span');
    more.textContent = '◌ dashed ring: more ties';
    box.append(inferred, more);
  }

  // ---------- Search ----------

  let searchSeq = 0;
  async function search(text, kind) {
    const q = `query Search($text: String!, $kinds: [SearchKind!]) { search(text: $text, kinds: $kinds, first: 12) {
      match matched entity { ...End } } } ${END}`;
    const data = await task('Searching', () => gql(q, { text: text, kinds: kind ? [kind] : null }));
    return data.search;
  }

  function renderResults(hits) {
    const box = $('results');
    box.textContent = '';
    $('results-box').hidden = false;
    if (hits.length === 0) {
      const li = document.createElement('li');
      li.textContent = 'Nothing found.';
      box.append(li);
      return;
    }
    for (const h of hits) {
      const d = nodeData(h.entity);
      const li = document.createElement('li');
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = d.name;
      b.dataset.id = d.id;
      b.addEventListener('click', () => place(d.id, h.entity));
      const k = document.createElement('span');
      k.className = 'kind';
      k.textContent = ' ' + (d.kind || d.type).toLowerCase().replace(/_/g, ' ') + (h.matched !== d.name ? ' · "' + h.matched + '"' : '');
      li.append(b, k);
      box.append(li);
    }
  }

  // place puts an entity on screen, expanded, and selects it.
  async function place(id, entity) {
    if (cy.getElementById(id).empty() && entity) {
      addNodes([entity]).position({ x: 0, y: 0 });
    }
    await expand(id);
    select(id);
  }

  async function setupSearch() {
    const kinds = ['ACTOR', 'PERSON', 'GOVERNMENT', 'MINISTRY', 'ARMED_FORCE', 'INTERNATIONAL_BODY', 'CRIMINAL_GROUP', 'CARTEL',
      'COUNTRY', 'PLACE', 'AGREEMENT', 'MEETING', 'EVENT', 'STATISTIC', 'SOURCE'];
    for (const k of kinds) {
      const o = document.createElement('option');
      o.value = k;
      o.textContent = k.toLowerCase().replace(/_/g, ' ');
      $('search-kind').append(o);
    }
    $('search-form').addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const text = $('search-text').value.trim();
      if (!text) return;
      const seq = ++searchSeq;
      const hits = await search(text, $('search-kind').value);
      if (seq !== searchSeq) return; // a later search answers instead
      renderResults(hits);
      const first = $('results').querySelector('button');
      if (first) first.focus();
    });
  }

  // ---------- Selection and the side panel ----------

  function select(id) {
    cy.$(':selected').unselect();
    const el = cy.getElementById(id);
    if (el.empty()) return;
    el.select();
    scheduleSave();
    if (el.isNode()) showNode(id); else showEdge(id);
  }

  function scheduleSave() { clearTimeout(urlTimer); urlTimer = setTimeout(saveURL, 250); }

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  function button(text, onClick, title) {
    const b = el('button', text);
    b.type = 'button';
    if (title) b.title = title;
    b.addEventListener('click', onClick);
    return b;
  }

  function definitions(pairs) {
    const dl = el('dl');
    for (const [k, v] of pairs) {
      if (v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) continue;
      dl.append(el('dt', k), el('dd', Array.isArray(v) ? v.join(', ') : String(v)));
    }
    return dl;
  }

  // A citation: its source, locator, what that source says of a tie, and
  // the passage's text (a quote, or our summary of it) where the graph has it.
  function citationView(c) {
    const box = el('div', null, 'citation');
    const head = el('div');
    head.append(el('strong', c.source ? c.source.name : c.sourceId), ' ', el('span', c.locator));
    if (c.status) head.append(el('span', c.status.toLowerCase(), 'badge'));
    box.append(head);
    if (c.passage) {
      const q = el('blockquote', c.passage.text, c.passage.kind === 'SUMMARY' ? 'summary' : '');
      q.title = c.passage.kind === 'SUMMARY' ? 'A summary in coopgraph\'s words, not a quote' : 'The source\'s own words';
      box.append(q);
      if (c.passage.kind === 'SUMMARY') box.append(el('div', 'summary, not a quote', 'note'));
    } else {
      box.append(el('div', 'No passage text for this locator in the graph.', 'note'));
    }
    return box;
  }

  const CITATION = 'source { id name } locator status passage { kind text }';
  const DETAIL = `query Detail($id: ID!) { entity(id: $id) {
    __typename id name aliases editorialAliases description basis inference synthetic
    citations { ${CITATION} }
    relationshipCounts { type count }
    ... on Actor { actorKind: kind country { id name } }
    ... on Place { placeKind: kind }
    ... on Agreement { agreementKind: kind agreementStatus: status proposed signed inForce ended }
    ... on Meeting { meetingDate: date topics outcomes }
    ... on Event { eventType eventDate: date endDate fatalities }
    ... on Statistic { indicator value unit bound periodStart periodEnd }
    ... on Source { sourceKind: kind publisher published url } } }`;

  let detailSeq = 0;
  async function showNode(id) {
    const seq = ++detailSeq;
    const data = await task('Loading details', () => gql(DETAIL, { id: id }));
    if (seq !== detailSeq) return;
    const e = data.entity;
    const box = $('details');
    box.textContent = '';
    if (!e) { box.append(el('p', 'This entity is no longer in the graph.', 'note')); return; }
    const d = nodeData(e);
    box.append(el('h3', e.name));
    const meta = el('div', (d.kind || d.type).toLowerCase().replace(/_/g, ' ') + ' · ' + e.id, 'note');
    if (e.synthetic) meta.append(el('span', 'synthetic', 'badge'));
    if (e.basis === 'INFERRED') meta.append(el('span', 'inferred', 'badge'));
    box.append(meta);
    if (state.more[id]) {
      const shown = cy.getElementById(id).connectedEdges().length;
      box.append(el('div', 'Showing ' + shown + (state.more[id].total ? ' of ' + state.more[id].total : '') + ' ties: the network was cut here.', 'badge truncated'));
    }
    const actions = el('div', null, 'row wrap');
    actions.append(
      button('Expand', () => expand(id), 'E'),
      button('More ties', () => moreTies(id), 'M: page through the ties not on screen'),
      button(cy.getElementById(id).locked() ? 'Unpin' : 'Pin', () => { togglePin(id); showNode(id); }, 'P'),
      button('Remove', () => removeNode(id), 'Delete'),
      button('Path from here', () => { $('path-from').value = id; $('path-to').focus(); }),
      button('Path to here', () => { $('path-to').value = id; $('path-from').focus(); }));
    box.append(actions);
    box.append(definitions([
      ['aliases', e.aliases], ['editorial aliases', e.editorialAliases], ['country', e.country && e.country.name],
      ['status', e.agreementStatus], ['proposed', e.proposed], ['signed', e.signed], ['in force', e.inForce], ['ended', e.ended],
      ['date', e.meetingDate || e.eventDate], ['until', e.endDate], ['fatalities', e.fatalities],
      ['topics', e.topics], ['outcomes', e.outcomes],
      ['figure', e.indicator ? e.indicator + ': ' + e.value + ' ' + e.unit + (e.bound !== 'EXACT' ? ' (' + e.bound.toLowerCase().replace('_', ' ') + ')' : '') : null],
      ['period', e.periodStart ? e.periodStart + ' to ' + e.periodEnd : null],
      ['publisher', e.publisher], ['published', e.published], ['address', e.url],
      ['inference', e.inference],
      ['ties', e.relationshipCounts.map((c) => c.type.toLowerCase().replace(/_/g, ' ') + ' ' + c.count)],
    ]));
    if (e.description) box.append(el('p', e.description));
    // Its ties on screen, as buttons: how the keyboard reaches a tie's evidence.
    const ties = cy.getElementById(id).connectedEdges();
    if (ties.nonempty()) {
      box.append(el('h2', 'Ties on screen'));
      const list = el('ul', null, 'on-screen');
      ties.forEach((t) => {
        const other = t.source().id() === id ? t.target() : t.source();
        const li = el('li');
        li.append(button(t.data('label') + (t.source().id() === id ? ' → ' : ' ← ') + other.data('name'), () => select(t.id())));
        list.append(li);
      });
      box.append(list);
    }
    if (e.citations.length) {
      box.append(el('h2', 'Evidence'));
      e.citations.forEach((c) => box.append(citationView(c)));
    }
  }

  // A tie's evidence: its citations, with their passages, read through its
  // start entity's relationships (the API has no lookup of a tie by id).
  const TIE_EVIDENCE = `query Tie($from: ID!, $types: [RelationType!], $after: String) { entity(id: $from) {
    relationships(types: $types, direction: BOTH, first: 100, after: $after) {
      pageInfo { hasNextPage endCursor } nodes { id description inference citations { ${CITATION} } } } } }`;

  async function showEdge(id) {
    const seq = ++detailSeq;
    const edge = cy.getElementById(id);
    const d = edge.data();
    let tie = null, after = null;
    for (let page = 0; page < 20 && !tie; page++) {
      const data = await task('Loading evidence', () => gql(TIE_EVIDENCE, { from: d.source, types: [d.type], after: after }));
      if (!data.entity) break;
      const conn = data.entity.relationships;
      tie = conn.nodes.find((r) => r.id === id) || null;
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    if (seq !== detailSeq) return;
    const box = $('details');
    box.textContent = '';
    const from = cy.getElementById(d.source).data('name'), to = cy.getElementById(d.target).data('name');
    box.append(el('h3', from + ' → ' + to));
    const meta = el('div', d.type.toLowerCase().replace(/_/g, ' ') + ' · ' + id, 'note');
    meta.append(el('span', d.status.toLowerCase(), 'badge'));
    if (d.basis === 'INFERRED') meta.append(el('span', 'inferred', 'badge'));
    box.append(meta);
    box.append(definitions([['role', d.role], ['since', d.since], ['until', d.until], ['inference', tie && tie.inference]]));
    if (tie && tie.description) box.append(el('p', tie.description));
    box.append(el('h2', 'Evidence'));
    if (!tie) { box.append(el('p', 'The tie is no longer in the graph.', 'note')); return; }
    tie.citations.forEach((c) => box.append(citationView(c)));
  }

  function togglePin(id) {
    const n = cy.getElementById(id);
    if (n.locked()) { n.unlock(); n.removeClass('pinned'); } else { n.lock(); n.addClass('pinned'); }
    afterChange(false);
  }

  function removeNode(id) {
    cy.getElementById(id).remove();
    delete state.more[id];
    $('details').textContent = '';
    $('details').append(el('p', 'Removed. Select a node or a tie to see its evidence.', 'note'));
    afterChange(false);
  }

  function renderOnScreen() { refocus($('on-screen'), 'id', buildOnScreen); }

  // The nodes on screen, as buttons (the keyboard's way to select them),
  // and as the path finder's suggestions.
  function buildOnScreen() {
    const choices = $('path-choices');
    choices.textContent = '';
    cy.nodes().forEach((n) => { const o = el('option', n.data('name')); o.value = n.id(); choices.append(o); });
    const list = $('on-screen');
    list.textContent = '';
    $('count').textContent = '(' + cy.nodes().length + ' nodes, ' + cy.edges().length + ' ties)';
    const nodes = cy.nodes().sort((a, b) => a.data('name').localeCompare(b.data('name')));
    nodes.forEach((n) => {
      const li = el('li');
      const b = button(n.data('name'), () => { select(n.id()); cy.animate({ center: { eles: n } }, { duration: 200 }); });
      b.dataset.id = n.id();
      li.append(b, el('span', ' ' + (n.data('kind') || n.data('type')).toLowerCase().replace(/_/g, ' '), 'kind'));
      if (state.more[n.id()]) li.append(el('span', 'more', 'badge truncated'));
      list.append(li);
    });
  }

  // ---------- Paths ----------

  const PATHS = `query Paths($from: ID!, $to: ID!, $maxHops: Int, $types: [RelationType!], $activeAt: Date) {
    paths(from: $from, to: $to, maxHops: $maxHops, types: $types, activeAt: $activeAt, first: 5) {
      length nodes { ...End } edges { direction relationship { ${TIE} from { id } to { id } } citations { ${CITATION} } } } }
    ${END}`;

  // resolveID takes an entity's id, or else its name: the best search hit.
  async function resolveID(text) {
    text = text.trim();
    if (!text) return null;
    if (cy.getElementById(text).nonempty()) return text;
    if (/^[a-z0-9][a-z0-9-]*$/.test(text)) {
      const d = await gql('query($id: ID!) { entity(id: $id) { id } }', { id: text });
      if (d.entity) return d.entity.id;
    }
    const hits = await search(text, '');
    return hits.length ? hits[0].entity.id : null;
  }

  // findPaths searches with the types shown (or, from a link, those the
  // search was made with).
  // findPaths searches with the types shown and, when the slider is on,
  // the ties that may hold on its date (from a link: those the search was
  // made with). restoring keeps the nodes where the link put them.
  let pathSeq = 0;
  async function findPaths(from, to, hops, types, activeAt, restoring) {
    const seq = ++pathSeq;
    const [a, b] = [await resolveID(from), await resolveID(to)];
    if (!a || !b) { status('Path finder: no entity matches ' + (!a ? from : to), true); return; }
    if (types === undefined) types = shownTypes();
    if (activeAt === undefined) activeAt = state.date;
    const data = await task('Finding paths', () => gql(PATHS, { from: a, to: b, maxHops: hops, types: types, activeAt: activeAt }));
    if (seq !== pathSeq) return;
    state.path = { from: a, to: b, hops: hops, types: types, activeAt: activeAt };
    cy.elements().removeClass('path');
    state.pathIDs = new Set();
    const before = cy.nodes().length;
    const added = addNodes(data.paths.flatMap((p) => p.nodes));
    // A node new to the picture starts beside the one before it on its path.
    for (const p of data.paths) {
      p.nodes.forEach((n, i) => {
        const node = cy.getElementById(n.id);
        if (i > 0 && added.contains(node) && !node.data('placed')) {
          const prev = cy.getElementById(p.nodes[i - 1].id).position();
          node.position({ x: prev.x + 80 + Math.random() * 40, y: prev.y + (Math.random() - 0.5) * 120 });
          node.data('placed', true);
        }
      });
    }
    addEdges(data.paths.flatMap((p) => p.edges.map((h) => ({ data: edgeData(h.relationship, h.relationship.from.id, h.relationship.to.id) }))));
    for (const p of data.paths) {
      p.nodes.forEach((n) => state.pathIDs.add(n.id));
      p.edges.forEach((h) => state.pathIDs.add(h.relationship.id));
    }
    cy.batch(() => state.pathIDs.forEach((id) => cy.getElementById(id).addClass('path')));
    if (added.nonempty() && !restoring) layout(before === 0);
    afterChange(before === 0 && !restoring);
    showPaths(data.paths);
  }

  function showPaths(paths) {
    const box = $('details');
    box.textContent = '';
    box.append(el('h3', paths.length ? paths.length + ' shortest path' + (paths.length > 1 ? 's' : '') : 'No path'));
    if (!paths.length) {
      box.append(el('p', 'No simple path of at most ' + state.path.hops + ' hops joins them' + (state.hidden.size ? ' through the types shown' : '') + '.', 'note'));
      return;
    }
    paths.forEach((p, i) => {
      const sec = el('section');
      sec.append(el('h2', 'Path ' + (i + 1) + ': ' + p.length + ' hop' + (p.length > 1 ? 's' : '')));
      p.edges.forEach((h, k) => {
        const hop = el('div', null, 'hop');
        const r = h.relationship;
        const arrow = h.direction === 'FORWARD' ? ' → ' : ' ← ';
        const line = el('div');
        line.append(el('strong', p.nodes[k].name), arrow + r.type.toLowerCase().replace(/_/g, ' ') + arrow, el('strong', p.nodes[k + 1].name));
        line.append(el('span', r.status.toLowerCase(), 'badge'));
        hop.append(line);
        h.citations.forEach((c) => hop.append(citationView(c)));
        sec.append(hop);
      });
      box.append(sec);
    });
  }

  function setupPaths() {
    $('path-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      findPaths($('path-from').value, $('path-to').value, Number($('path-hops').value));
    });
    $('path-clear').addEventListener('click', () => {
      state.path = null;
      state.pathIDs = new Set();
      cy.elements().removeClass('path');
      afterChange(false);
    });
  }

  // ---------- Timeline strip ----------

  const TIMELINE = `query Timeline($ids: [ID!]) { timeline(ids: $ids, first: 60) {
    nodes { date endDate kind what entity { id name } } pageInfo { hasNextPage } } }`;
  let timelineTimer = null, timelineSeq = 0;
  function scheduleTimeline() { clearTimeout(timelineTimer); timelineTimer = setTimeout(renderTimeline, 300); }

  async function renderTimeline() {
    const seq = ++timelineSeq;
    const box = $('timeline');
    // The API takes 50 ids: the selected node first, then the best connected.
    const sel = cy.$('node:selected');
    const ids = sel.map((n) => n.id()).concat(cy.nodes().not(sel).sort((a, b) => b.degree() - a.degree()).map((n) => n.id())).slice(0, 50);
    if (ids.length === 0) { box.textContent = ''; $('timeline-note').textContent = ''; return; }
    let data;
    try { data = await gql(TIMELINE, { ids: ids }); } catch (e) { $('timeline-note').textContent = 'timeline failed: ' + e.message; return; }
    if (seq !== timelineSeq) return;
    const items = data.timeline.nodes;
    $('timeline-note').textContent = items.length + ' dated facts' + (data.timeline.pageInfo.hasNextPage ? ' (the first ' + items.length + ')' : '') +
      (cy.nodes().length > 50 ? ', of the 50 best-connected entities on screen' : '');
    box.textContent = '';
    if (items.length === 0) return;
    // In date order, evenly spaced (a strip scaled by time would crowd the
    // recent years against one old treaty), with each year marked once.
    const STEP = 120, ROWS = 3;
    const lane = el('div', null, 'lane');
    lane.style.width = items.length * STEP + 200 + 'px';
    let year = null;
    items.forEach((it, i) => {
      const x = i * STEP;
      const y = it.date.slice(0, 4);
      if (y !== year) {
        year = y;
        const tick = el('span', y, 'tick');
        tick.style.left = x + 'px';
        lane.append(tick);
      }
      const b = el('button', it.date + ' ' + it.entity.name + (it.what ? ' (' + it.what + ')' : ''), 'item');
      b.type = 'button';
      b.title = it.kind.toLowerCase().replace(/_/g, ' ') + ': ' + it.entity.name + ', ' + it.date + (it.endDate ? ' to ' + it.endDate : '');
      b.style.left = x + 4 + 'px';
      b.style.top = (i % ROWS) * 20 + 'px';
      if (cy.getElementById(it.entity.id).nonempty()) b.classList.add('on');
      b.addEventListener('click', async () => {
        if (cy.getElementById(it.entity.id).empty()) await place(it.entity.id, null); else select(it.entity.id);
      });
      lane.append(b);
    });
    box.append(lane);
  }

  // ---------- The view in the URL ----------

  // #v= holds the nodes (id, position, pinned), the ties (ids, for views
  // of up to 500; larger ones show every tie among their nodes), the
  // selection, the date, the hidden types and the last path search, as
  // base64url JSON.
  const MAX_LINKED_EDGES = 500;
  function saveURL() {
    const v = {
      n: cy.nodes().map((n) => [n.id(), Math.round(n.position('x')), Math.round(n.position('y')), n.locked() ? 1 : 0]),
      e: cy.edges().length <= MAX_LINKED_EDGES ? cy.edges().map((e) => e.id()) : undefined,
      s: cy.$(':selected').id() || undefined,
      d: state.date || undefined,
      h: state.hidden.size ? Array.from(state.hidden) : undefined,
      p: state.path ? [state.path.from, state.path.to, state.path.hops, state.path.types, state.path.activeAt] : undefined,
      k: $('per-node').value !== '50' ? Number($('per-node').value) : undefined,
      m: Object.keys(state.more).length ? state.more : undefined,
    };
    const json = JSON.stringify(v);
    const enc = btoa(unescape(encodeURIComponent(json))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    history.replaceState(null, '', '#v=' + enc);
  }

  function readURL() {
    const m = /#v=([A-Za-z0-9_-]+)/.exec(location.hash);
    if (!m) return null;
    try {
      const b64 = m[1].replace(/-/g, '+').replace(/_/g, '/');
      return JSON.parse(decodeURIComponent(escape(atob(b64))));
    } catch (e) {
      status('The link\'s view could not be read', true);
      return null;
    }
  }

  // restore draws a shared view again: its nodes (fetched 50 at a time,
  // with the ties among them), where they were, and its settings.
  async function restore(v) {
    const ids = (v.n || []).map((x) => x[0]);
    (v.h || []).forEach((t) => state.hidden.add(t));
    if (v.k) $('per-node').value = String(v.k);
    const wanted = new Set(ids);
    const ties = v.e ? new Set(v.e) : null;
    for (let i = 0; i < ids.length; i += 50) {
      const chunk = ids.slice(i, i + 50);
      const data = await task('Opening the shared view', () => gql(NETWORK, { ids: chunk, types: null, limit: 2000, perNode: 500 }));
      addNodes(data.network.nodes.filter((n) => wanted.has(n.id)));
      addEdges(data.network.edges.filter((e) => (ties ? ties.has(e.id) : wanted.has(e.source) && wanted.has(e.target)))
        .map((r) => ({ data: edgeData(r, r.source, r.target) })));
    }
    cy.batch(() => (v.n || []).forEach(([id, x, y, pinned]) => {
      const n = cy.getElementById(id);
      if (n.empty()) return;
      n.position({ x: x, y: y });
      if (pinned) { n.lock(); n.addClass('pinned'); }
    }));
    Object.assign(state.more, v.m || {});
    cy.nodes().forEach((n) => n.toggleClass('more', !!state.more[n.id()]));
    cy.fit(undefined, 50);
    if (v.d) setDate(v.d); else afterChange(false);
    if (v.p) {
      $('path-from').value = v.p[0];
      $('path-to').value = v.p[1];
      $('path-hops').value = String(v.p[2]);
      await findPaths(v.p[0], v.p[1], v.p[2], v.p[3] || null, v.p[4] || null, true);
      cy.nodes().filter((n) => !wanted.has(n.id())).remove(); // removed since the search
      afterChange(false);
    }
    if (v.s) select(v.s);
  }

  // ---------- Export ----------

  function download(blob, name) {
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.append(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }

  function setupKey() {
    const input = $('api-key');
    input.value = credential();
    input.addEventListener('change', () => {
      if (input.value.trim()) sessionStorage.setItem('coopgraph-key', input.value.trim()); else sessionStorage.removeItem('coopgraph-key');
      loadTypes().then(() => status('')).catch((e) => status('The API refused the key: ' + e.message, true));
    });
  }

  function setupView() {
    $('relayout').addEventListener('click', () => layout(true));
    $('fit').addEventListener('click', () => cy.fit(undefined, 50));
    $('clear').addEventListener('click', () => {
      cy.elements().remove();
      state.more = {};
      state.path = null;
      state.pathIDs = new Set();
      $('details').textContent = '';
      afterChange(false);
    });
    $('export-png').addEventListener('click', () => download(cy.png({ output: 'blob', full: true, scale: 2, bg: '#ffffff' }), 'coopgraph-network.png'));
    $('export-json').addEventListener('click', () => download(new Blob([JSON.stringify(cy.json(), null, 1)], { type: 'application/json' }), 'coopgraph-network.cyjs'));
    document.querySelectorAll('[data-open]').forEach((b) => b.addEventListener('click', () => place(b.dataset.open, null)));
    cy.on('tap', 'node', (ev) => select(ev.target.id()));
    cy.on('tap', 'edge', (ev) => select(ev.target.id()));
    cy.on('dbltap', 'node', (ev) => expand(ev.target.id()));
    cy.on('dragfree', 'node', scheduleSave);
    cy.on('tap', (ev) => { if (ev.target === cy) { cy.$(':selected').unselect(); scheduleSave(); } });
    // Keys act on the selected node, except while typing in a field.
    document.addEventListener('keydown', (ev) => {
      const t = ev.target;
      if (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA' || ev.ctrlKey || ev.metaKey || ev.altKey) return;
      if (ev.key === '/') { ev.preventDefault(); $('search-text').focus(); return; }
      const sel = cy.$('node:selected');
      switch (ev.key) {
        case 'l': case 'L': layout(true); break;
        case 'f': case 'F': cy.fit(undefined, 50); break;
        case 'Escape': cy.$(':selected').unselect(); scheduleSave(); break;
        case 'e': case 'E': if (sel.nonempty()) expand(sel.id()); break;
        case 'm': case 'M': if (sel.nonempty()) moreTies(sel.id()); break;
        case 'p': case 'P': if (sel.nonempty()) togglePin(sel.id()); break;
        case 'Delete': case 'Backspace': if (sel.nonempty()) removeNode(sel.id()); break;
        default: return;
      }
      ev.preventDefault();
    });
  }

  // ---------- For tests and benchmarks ----------

  // drawNetwork draws a network answer as the explorer draws any, and
  // resolves to how long it took (ms) until the frame after it was
  // painted: the browser benchmark calls it.
  function drawNetwork(net) {
    const t0 = performance.now();
    cy.elements().remove();
    state.more = {};
    addNetwork(net);
    layout(true);
    afterChange(true);
    return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - t0))));
  }

  window.coopgraphExplorer = {
    cy: cy,
    drawNetwork: drawNetwork,
    busy: () => busy,
    view: () => ({
      nodes: cy.nodes().map((n) => n.id()).sort(),
      edges: cy.edges().length,
      inactive: cy.elements('.inactive').length,
      hidden: cy.edges('.hidden-type').length,
      path: cy.elements('.path').map((e) => e.id()).sort(),
      pinned: cy.nodes(':locked').map((n) => n.id()).sort(),
      selected: cy.$(':selected').id() || null,
      more: Object.keys(state.more).sort(),
      date: state.date,
    }),
  };

  // ---------- Start ----------

  setupDate();
  setupSearch();
  setupPaths();
  setupView();
  setupKey();
  renderLegend();
  loadTypes().catch((e) => status('The API is not answering: ' + e.message, true));
  // Without a view in the address, the explorer opens on Los Choneros when
  // the graph has them (the seed's first question), else on the search box.
  const START = 'los-choneros';
  const v = readURL();
  if (v) {
    restore(v).catch((e) => status('The shared view could not be opened: ' + e.message, true));
  } else {
    afterChange(false);
    gql('query($id: ID!) { entity(id: $id) { ...End } } ' + END, { id: START })
      .then((d) => { if (d.entity && cy.nodes().empty()) return place(START, d.entity); })
      .catch(() => {});
  }
})();
