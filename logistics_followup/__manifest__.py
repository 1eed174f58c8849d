# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Logistics Follow-up",
    "summary": "Customer service for courier, express and freight companies: "
    "waybill tracking, problem parcels, chases, revisits, signed receipts",
    "version": "19.0.1.0.0",
    "license": "AGPL-3",
    "category": "Services/Helpdesk",
    "author": "logistics_followup contributors",
    "depends": ["helpdesk_mgmt", "stock_delivery", "portal", "mail"],
    "data": [
        "security/logistics_followup_security.xml",
        "security/ir.model.access.csv",
        "data/logistics_courier_data.xml",
        "data/logistics_status_mapping_data.xml",
        "data/logistics_transit_time_data.xml",
        "data/ir_cron_data.xml",
        "views/logistics_courier_views.xml",
        "views/delivery_carrier_views.xml",
        "views/logistics_waybill_views.xml",
        "views/logistics_status_mapping_views.xml",
        "views/logistics_transit_time_views.xml",
        "views/stock_picking_views.xml",
        "views/logistics_delivery_area_views.xml",
        "views/logistics_delivery_round_views.xml",
        "views/res_config_settings_views.xml",
        "views/logistics_followup_menus.xml",
        "wizards/logistics_tracking_import_views.xml",
    ],
    "demo": [
        "demo/logistics_followup_demo.xml",
        "demo/logistics_waybill_demo.xml",
        "demo/logistics_delivery_demo.xml",
    ],
    "development_status": "Alpha",
}
