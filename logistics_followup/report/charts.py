# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Server-side SVG charts of the PDF reports, drawn by pygal (pure Python,
SVG output, no browser needed: wkhtmltopdf shows the SVG as an image)."""

import base64

import pygal
from pygal.style import Style

STYLE = Style(
    font_family="'Noto Sans CJK SC', 'Noto Sans CJK TC', sans-serif",
    background="white",
    plot_background="white",
    colors=("#2e6da4", "#b0b0b0", "#d9534f", "#5cb85c", "#f0ad4e"),
    label_font_size=11,
    major_label_font_size=11,
    legend_font_size=11,
    value_font_size=10,
    title_font_size=13,
)


def _options():
    return {
        "style": STYLE,
        "width": 720,
        "height": 300,
        "js": [],  # static: no tooltips script to fetch
        "disable_xml_declaration": True,
        "legend_at_bottom": True,
        "print_values": False,
        "truncate_label": 18,
    }


def _data_uri(chart):
    svg = chart.render(is_unicode=True)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def bars(title, labels, series):
    """Grouped bars: ``series`` is [(name, [value per label])]."""
    chart = pygal.Bar(title=title, x_label_rotation=20, **_options())
    chart.x_labels = labels
    for name, values in series:
        chart.add(name, values)
    return _data_uri(chart)


def line(title, labels, series):
    """A trend over the period's days."""
    chart = pygal.Line(
        title=title,
        x_label_rotation=45,
        show_minor_x_labels=False,
        **_options(),
    )
    chart.x_labels = labels
    chart.x_labels_major = labels[:: max(1, len(labels) // 8)]
    for name, values in series:
        chart.add(name, values)
    return _data_uri(chart)
