# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Small helpers shared by the models."""

from odoo.tools import format_datetime

#: The time zone of a company or a user that has none set (the couriers and
#: customers the addon serves are in China); see :func:`local_tz_name`.
FALLBACK_TZ = "Asia/Shanghai"


def count_by(records, comodel, field):
    """``{record: count}``: how many ``comodel`` records point at each of
    ``records`` through ``field``, in one grouped query (the counters of the
    smart buttons); records without any are absent."""
    return dict(
        records.env[comodel]._read_group(
            [(field, "in", records.ids)], groupby=[field], aggregates=["__count"]
        )
    )


def format_local(env, value, reader=None):
    """A datetime as its reader sees it: in the time zone of ``reader`` (a
    user; default the current one), else the company's, with the zone named
    (chatter messages are written once and read by the team)."""
    if not value:
        return ""
    reader = reader or env.user
    tz = reader.tz or env.company.partner_id.tz or "UTC"
    return f"{format_datetime(env, value, tz=tz, dt_format='yyyy-MM-dd HH:mm')} ({tz})"


def trigger_cron(env, xmlid):
    """Ask Odoo's cron runner to run the job ``xmlid`` as soon as a worker
    is free (``ir.cron._trigger``); nothing when the job was deleted."""
    cron = env.ref(xmlid, raise_if_not_found=False)
    if cron:
        cron.sudo()._trigger()


def local_tz_name(env, *candidates):
    """The time zone to read or show local times in: the first set among
    ``candidates`` (time zone names, e.g. a customer's or a record's
    company's), then the current company's, then the current user's, else
    :data:`FALLBACK_TZ`."""
    for tz in (*candidates, env.company.sudo().partner_id.tz, env.user.tz):
        if tz:
            return tz
    return FALLBACK_TZ


def client_notification(
    message, *, title=None, kind="success", sticky=False, then=None
):
    """The client action that shows ``message`` in a notification
    (``display_notification``): ``kind`` success / warning / danger / info,
    ``then`` the action that follows it (e.g. closing the dialog)."""
    params = {"type": kind, "message": message}
    if title:
        params["title"] = title
    if sticky:
        params["sticky"] = True
    if then:
        params["next"] = then
    return {
        "type": "ir.actions.client",
        "tag": "display_notification",
        "params": params,
    }
