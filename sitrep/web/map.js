// The map: an offline basemap of country shapes (Natural Earth via world-atlas, drawn as a
// GeoJSON layer in its own pane) and the events as circle markers in the overlay pane.
/* global L, topojson */

import { h } from "./dom.js";
import { classColour, fmtDay, humanType } from "./format.js";

const WORLD = "/static/vendor/world-atlas/countries-110m.json";

export function markerRadius(fatalities) {
  const n = Number(fatalities) > 0 ? Number(fatalities) : 0;
  return 5 + 3 * Math.sqrt(n);
}

function tooltipContent(p) {
  // a node, not a string: Leaflet would insert a string as HTML
  const place = [p.location, p.country].filter(Boolean).join(", ");
  return h(
    "div",
    { class: "tip" },
    h("strong", null, humanType(p.type)),
    h("div", null, `${fmtDay(p.event_date)}${place ? ` · ${place}` : ""}`),
    p.fatalities ? h("div", null, `${p.fatalities} killed`) : null,
  );
}

export class EventMap {
  constructor(el, { onSelect }) {
    this.onSelect = onSelect;
    this.selected = null;
    this.markers = new Map();
    this.map = L.map(el, {
      center: [25, 15],
      zoom: 2,
      minZoom: 1,
      maxZoom: 12,
      zoomSnap: 0.25,
      worldCopyJump: false,
      maxBounds: [[-85, -240], [85, 240]],
      maxBoundsViscosity: 0.8,
    });
    this.map.attributionControl.setPrefix(false);
    this.map.attributionControl.addAttribution("Countries: Natural Earth · Leaflet");
    this.map.createPane("basemap");
    this.map.getPane("basemap").style.zIndex = "200";
    this.layer = L.featureGroup().addTo(this.map);
    this.ready = this.loadBasemap();
    new ResizeObserver(() => this.map.invalidateSize({ pan: false })).observe(el);
  }

  async loadBasemap() {
    try {
      const res = await fetch(WORLD);
      const topo = await res.json();
      const land = topojson.feature(topo, topo.objects.countries);
      land.features = land.features.filter((f) => f.id !== "010"); // Antarctica
      L.geoJSON(land, {
        pane: "basemap",
        interactive: false,
        style: {
          color: "#b7bdc6",
          weight: 0.7,
          fillColor: "#f7f5ef",
          fillOpacity: 1,
          className: "country",
        },
      }).addTo(this.map);
    } catch (err) {
      console.warn("basemap not loaded", err); // the markers still work on the sea colour
    }
  }

  /** Replace the markers with a GeoJSON FeatureCollection's points. */
  show(collection, { fit = true } = {}) {
    this.layer.clearLayers();
    this.markers.clear();
    const features = (collection && collection.features) || [];
    const points = features
      .filter((f) => f.geometry && f.geometry.type === "Point")
      .map((f) => ({ f, r: markerRadius(f.properties.fatalities) }))
      .sort((a, b) => b.r - a.r); // the big ones underneath
    for (const { f, r } of points) {
      const p = f.properties;
      const [lon, lat] = f.geometry.coordinates;
      const marker = L.circleMarker([lat, lon], {
        radius: r,
        color: "#ffffff",
        weight: 1.25,
        fillColor: classColour(p.class),
        fillOpacity: 0.82,
        className: `event-marker marker-${p.class || "other"}`,
      });
      marker.bindTooltip(tooltipContent(p), { direction: "top", offset: [0, -r], opacity: 1 });
      marker.on("click", () => this.onSelect(p.event_id));
      marker.addTo(this.layer);
      const path = marker.getElement();
      if (path) {
        path.dataset.eventId = p.event_id;
        path.dataset.class = p.class || "other";
        path.setAttribute("aria-label", `${humanType(p.type)}, ${fmtDay(p.event_date)}`);
      }
      this.markers.set(p.event_id, marker);
    }
    this.highlight(this.selected);
    if (fit) this.fit();
  }

  fit() {
    if (this.markers.size) {
      this.map.fitBounds(this.layer.getBounds(), { padding: [30, 30], maxZoom: 7, animate: false });
    } else {
      this.map.setView([25, 15], 2, { animate: false });
    }
  }

  highlight(eventId) {
    const previous = this.selected && this.markers.get(this.selected);
    if (previous) previous.setStyle({ color: "#ffffff", weight: 1.25 });
    previous?.getElement()?.classList.remove("selected");
    this.selected = eventId;
    const marker = eventId && this.markers.get(eventId);
    if (marker) {
      marker.setStyle({ color: "#111827", weight: 3 });
      marker.bringToFront();
      marker.getElement()?.classList.add("selected");
    }
  }

  panTo(eventId) {
    const marker = this.markers.get(eventId);
    if (marker && !this.map.getBounds().contains(marker.getLatLng())) {
      this.map.panTo(marker.getLatLng());
    }
  }

  invalidate() {
    this.map.invalidateSize({ pan: false });
  }
}
