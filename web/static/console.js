/* The police console's few behaviours: the map, the statistics charts, printing.
   No build step; the libraries are vendored under /static/vendor. */
(function () {
  "use strict";

  function json(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  // Vietnam as a whole, when there is nothing to fit the view to.
  var COUNTRY = [[8.2, 102.1], [23.4, 109.5]];

  function tiles(map, url, attribution) {
    if (!url) return;
    var layer = L.tileLayer(url, { attribution: attribution, maxZoom: 19 });
    // Without reachable tiles the map stays a plain background: markers and labels still show.
    layer.on("tileerror", function () { document.body.dataset.tiles = "unreachable"; });
    layer.on("tileload", function () { document.body.dataset.tiles = "loaded"; });
    layer.addTo(map);
  }

  function drawMap(el, config) {
    // A view first: layers added to a map without one are drawn only later.
    var map = L.map(el, { preferCanvas: false }).fitBounds(COUNTRY);
    tiles(map, config.tileUrl, config.attribution);
    var clusters = L.markerClusterGroup({ maxClusterRadius: 45 });
    var labels = L.layerGroup().addTo(map);
    var heat = null;
    Promise.resolve(config.data)
      .then(function (data) {
        var bounds = [];
        data.points.forEach(function (p) {
          var marker = L.circleMarker([p[1], p[2]], {
            radius: 6, weight: 1, color: "#222", fillOpacity: 0.85,
            fillColor: config.colours[p[3]] || "#555", className: "tip-marker"
          });
          var popup = document.createElement("div");
          popup.appendChild(document.createTextNode(
            (config.categories[p[3]] || p[3]) + " · " + (config.statuses[p[4]] || p[4]) + " "));
          var a = document.createElement("a");
          a.href = "/tips/" + p[0];
          a.textContent = config.open;
          popup.appendChild(a);
          marker.bindPopup(popup);
          clusters.addLayer(marker);
          bounds.push([p[1], p[2]]);
        });
        data.labels.forEach(function (label) {
          if (label.latitude === null) return;
          var icon = L.divIcon({
            className: "area-label",
            html: "<span></span>",
            iconSize: null
          });
          var m = L.marker([label.latitude, label.longitude], { icon: icon, interactive: false });
          m.addTo(labels);
          m.getElement().firstChild.textContent = label.name + " (" + label.count + ")";
          bounds.push([label.latitude, label.longitude]);
        });
        map.addLayer(clusters);
        if (bounds.length) map.fitBounds(bounds, { padding: [30, 30], maxZoom: 15 });
        else map.fitBounds(COUNTRY);
        heat = L.heatLayer(data.points.map(function (p) { return [p[1], p[2], 0.6]; }),
                           { radius: 22, blur: 18, maxZoom: 14 });
        el.dataset.points = String(data.points.length);
        el.dataset.ready = "1";
      });
    document.querySelectorAll("input[name=view]").forEach(function (radio) {
      radio.addEventListener("change", function () {
        if (!heat) return;
        if (radio.value === "heat" && radio.checked) {
          map.removeLayer(clusters); map.addLayer(heat); el.dataset.view = "heat";
        } else if (radio.checked) {
          map.removeLayer(heat); map.addLayer(clusters); el.dataset.view = "markers";
        }
      });
    });
  }

  function drawTipMap(el) {
    var lat = parseFloat(el.dataset.lat), lon = parseFloat(el.dataset.lon);
    var map = L.map(el).setView([lat, lon], 16);
    tiles(map, el.dataset.tiles, "");
    L.circleMarker([lat, lon], { radius: 8, color: "#b00", fillOpacity: 0.9, className: "tip-marker" })
      .addTo(map).bindTooltip(el.dataset.label, { permanent: true });
  }

  function drawCharts(data) {
    if (!window.Chart) return;
    Chart.defaults.animation = false;
    var time = document.getElementById("chart-time");
    var sets = [{ label: data.currentLabel, data: data.current, borderColor: "#1f5f99",
                  backgroundColor: "rgba(31,95,153,.15)", fill: true, tension: 0.2 }];
    if (data.comparison) {
      sets.push({ label: data.comparisonLabel, data: data.comparison, borderColor: "#999",
                  borderDash: [5, 4], fill: false, tension: 0.2 });
    }
    new Chart(time, { type: "line", data: { labels: data.labels, datasets: sets },
      options: { plugins: { title: { display: true, text: data.lineTitle } } } });
    new Chart(document.getElementById("chart-categories"), {
      type: "bar",
      data: { labels: data.bars.map(function (b) { return b.label; }),
              datasets: [{ label: data.barsTitle, data: data.bars.map(function (b) { return b.value; }),
                           backgroundColor: "#1f5f99" }] },
      options: { indexAxis: "y", plugins: { legend: { display: false },
                 title: { display: true, text: data.barsTitle } } }
    });
    new Chart(document.getElementById("chart-areas"), {
      type: "bar",
      data: { labels: data.areas.map(function (b) { return b.label; }),
              datasets: [{ label: data.areasTitle, data: data.areas.map(function (b) { return b.value; }),
                           backgroundColor: "#3d8b5f" }] },
      options: { plugins: { legend: { display: false },
                 title: { display: true, text: data.areasTitle } } }
    });
    document.body.dataset.charts = "drawn";
  }

  document.addEventListener("DOMContentLoaded", function () {
    var mapEl = document.getElementById("map");
    var config = json("map-config");
    if (mapEl && config && window.L) drawMap(mapEl, config);
    var tipMap = document.getElementById("tip-map");
    if (tipMap && window.L) drawTipMap(tipMap);
    var chart = json("chart-data");
    if (chart) drawCharts(chart);
    document.querySelectorAll("[data-print]").forEach(function (b) {
      b.addEventListener("click", function () { window.print(); });
    });
  });
})();
