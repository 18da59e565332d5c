"""The portal's pages: login, home, Alerte, Transmitere Facturi, and the three windows.

The two work screens follow ASP.NET WebForms: one ``aspnetForm``, ``__doPostBack(target,
argument)``, page state in ``__VIEWSTATE``. With ``updates=postback`` every event posts the
whole form and the whole page is rendered again; with ``updates=ajax`` the same post is sent
asynchronously (UpdatePanel style) and only the panel, a message or an error comes back.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any, Final
from urllib.parse import quote

import anyio.to_thread
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from emsys_rpa.mockportal.clock import format_date, format_epoch
from emsys_rpa.mockportal.datefields import DATE_KINDS, DateKind
from emsys_rpa.mockportal.grid import PAGE_SIZE, fetch_page, sort_key
from emsys_rpa.mockportal.gridrows import columns_for, grid_rows
from emsys_rpa.mockportal.images import button_image, pager_icon
from emsys_rpa.mockportal.jobs import ScheduledJob
from emsys_rpa.mockportal.menu import DECOY_PAGES, menu_tree
from emsys_rpa.mockportal.pager import (
    ICON_TITLES,
    effective_page_size,
    page_size_options,
    pager_controls,
)
from emsys_rpa.mockportal.portal import PortalState, SessionInfo
from emsys_rpa.mockportal.rules import InvoiceFilters
from emsys_rpa.mockportal.seeding import INVOICE_KINDS
from emsys_rpa.mockportal.variants import Variant

LOGIN_PATH: Final = "/Login.aspx"
HOME_PATH: Final = "/Default.aspx"
ALERTS_PATH: Final = "/Alerte/Alerte.aspx"
INVOICES_PATH: Final = "/Facturi/TransmitereFacturi.aspx"
ALERT_CONFIG_WINDOW: Final = "/Alerte/ConfigurareTrimitere.aspx"
ALERT_MODE_WINDOW: Final = "/Alerte/ModalitateTransmitere.aspx"
INVOICE_WINDOW: Final = "/Facturi/ConfigurareTransmitere.aspx"

P: Final = "ctl00$MainContent$"
T_TABS: Final = P + "tsTaburi"
T_GRID: Final = P + "gvIstoric"
T_REFRESH: Final = P + "btnReimprospatare"
T_OPEN: Final = P + "btnConfigurare"
T_MODE: Final = P + "btnAlegereModalitate"
T_SEND: Final = P + "btnTrimite"
T_CLOSE: Final = P + "wndInchide"
T_OK: Final = P + "btnMesajOK"
F_FUNDAL: Final = P + "chkFundal"
FILTER_FIELDS: Final = {
    "de": P + "txtPerioadaDeLa",
    "pana": P + "txtPerioadaPanaLa",
    "cod": P + "txtCodClient",
    "tip": P + "ddlTipFactura",
    "loc": P + "txtLocalitate",
}

MSG_SCHEDULED: Final = "Operația a fost programată cu succes."
MSG_DONE: Final = "Operația a fost executată cu succes."
MSG_DONE_WITH_ERRORS: Final = "Operația s-a încheiat cu erori. Verificați istoricul."
MSG_EXPIRED: Final = "Sesiunea a expirat. Vă rugăm să vă autentificați din nou."
MSG_LOADING: Final = "Se încarcă..."
# How long the history grid takes to arrive by XHR (loading=xhr): the spinner must be seen.
GRID_LOAD_DELAY_S: Final = 0.4

RESTRICTED_PAGES: Final = {
    "/Facturi/ConfirmareFacturi.aspx": "Confirmare facturi",
    "/Facturi/ListareFacturi.aspx": "Listare facturi",
    "/Facturi/TransmitereFacturiPosta.aspx": "Transmitere Facturi prin poștă",
    "/Rapoarte/Incasari.aspx": "Încasări",
    "/Rapoarte/Restante.aspx": "Restanțe",
    "/Administrare/Utilizatori.aspx": "Utilizatori",
    "/Administrare/Parametri.aspx": "Parametri aplicație",
    **DECOY_PAGES,
}

_JOB_KIND: Final = {"alerts": "Transmitere alerte", "invoices": "Transmitere facturi"}
_JOB_STATUS: Final = {
    "queued": "Programată",
    "running": "În curs",
    "done": "Finalizată",
    "failed": "Eroare",
}


@dataclass
class PageState:
    """What WebForms would keep in ``__VIEWSTATE`` for one screen."""

    tab: str
    page: int = 1
    sort: str = "data"
    desc: bool = True
    windows: list[str] = field(default_factory=list)
    filters: dict[str, str] = field(default_factory=lambda: dict.fromkeys(FILTER_FIELDS, ""))
    size: int = PAGE_SIZE  # rows per page (pagesize=yes); 0: all rows of a small grid

    def encode(self) -> str:
        data = asdict(self)
        if self.size == PAGE_SIZE:
            del data["size"]  # the state of a grid without a page-size choice stays as it was
        raw = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        return "/wE" + base64.b64encode(raw.encode()).decode()

    @classmethod
    def decode(cls, text: str | None, default: PageState) -> PageState:
        if not text or not text.startswith("/wE"):
            return default
        try:
            data = json.loads(base64.b64decode(text[3:]))
            return cls(**data)
        except (ValueError, TypeError, binascii.Error):
            return default


@dataclass(frozen=True)
class Screen:
    path: str
    template: str
    panel: str
    tabs: tuple[str, ...]
    table: str

    @property
    def history_tab(self) -> str:
        return self.tabs[-1]


ALERTS: Final = Screen(
    ALERTS_PATH, "alerte.html.j2", "_alerte_panel.html.j2", ("config", "istoric"), "alert_history"
)
INVOICES: Final = Screen(
    INVOICES_PATH,
    "facturi.html.j2",
    "_facturi_panel.html.j2",
    ("transmitere", "istoric"),
    "invoice_history",
)


def relabeller(variant: Variant, relabel: Iterable[tuple[str, str]] = ()) -> Callable[[str], str]:
    """What a text becomes on screen: renamed labels, then the variant's diacritics."""
    pairs = tuple(relabel)

    def show(text: str) -> str:
        for old, new in pairs:
            text = text.replace(old, new)
        return variant.localise(text)

    return show


def make_environment(variant: Variant, show: Callable[[str], str] | None = None) -> Environment:
    env = Environment(
        loader=PackageLoader("emsys_rpa.mockportal", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=False,
    )
    # Keep letters readable in inline scripts so the diacritics variant applies to them too.
    env.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "sort_keys": True}
    env.globals["v"] = variant
    env.filters["when"] = lambda epoch: format_epoch(epoch, seconds=variant.with_seconds)
    env.filters["isodate"] = lambda iso: format_date(date.fromisoformat(iso)) if iso else ""
    # The widget zoo's choices, where templates read them.
    env.globals["close_title"] = "Close" if variant.closex == "en" else "Închide"
    env.globals["cancel_text"] = CANCEL_TEXT[variant.cancel]
    env.globals["dk"] = DATE_KINDS[variant.dates]
    env.globals["menu_items"] = menu_tree(decoys=variant.decoys == "yes")
    shown = show or variant.localise
    env.filters["button_image"] = lambda text: button_image(shown(text))
    env.filters["pager_icon"] = pager_icon
    env.globals["icon_titles"] = ICON_TITLES
    env.filters["linkbutton"] = link_button
    return env


CANCEL_TEXT: Final = {"renunt": "Renunț", "renunta": "Renunță", "inchide": "Închide", "none": ""}


def link_button(onclick: str) -> tuple[str, str]:
    """(onclick, href) of an ASP.NET LinkButton running ``onclick``.

    A plain postback goes in the href, as LinkButton renders it; a confirm() guard stays in
    onclick (OnClientClick); client-side actions are OnClientClick with ``return false``.
    """
    guard, sep, rest = onclick.rpartition("return false; ")
    if rest.startswith("__doPostBack(") and rest.endswith(")") and ";" not in rest:
        return (guard + sep).strip(), "javascript:" + rest
    return onclick + "; return false;", "javascript:void(0);"


def window_actions(variant: Variant) -> dict[str, str]:
    """The JavaScript behind each button, which depends on how windows and updates work."""
    confirm_alerts = confirm_invoices = ""
    if variant.confirm == "yes":
        confirm_alerts = "if (!confirm('Sigur doriți să trimiteți alertele?')) return false; "
        confirm_invoices = "if (!confirm('Sigur doriți să trimiteți facturile?')) return false; "
    send = f"__doPostBack('{T_SEND}','')"
    actions = {
        "send_alerts": confirm_alerts + send,
        "send_invoices": confirm_invoices + send,
    }
    if variant.windows == "dialog":
        dlg = "ctl00_MainContent_"
        if variant.postback:
            actions |= {
                "open_cfg": f"__doPostBack('{T_OPEN}','')",
                "open_mode": f"__doPostBack('{T_MODE}','')",
                "open_inv": f"__doPostBack('{T_OPEN}','')",
                **{
                    f"{verb}_{key}": f"__doPostBack('{T_CLOSE}','{name}')"
                    for key, name in (
                        ("cfg", "wndConfigurare"),
                        ("mode", "wndModalitate"),
                        ("inv", "wndFactura"),
                    )
                    for verb in ("close", "cancel")
                },
            }
        else:
            actions |= {
                "open_cfg": f"EMS.openDialog('{dlg}wndConfigurare')",
                "open_mode": f"EMS.openDialog('{dlg}wndModalitate')",
                "open_inv": f"EMS.showPeriod(); EMS.openDialog('{dlg}wndFactura')",
                **{
                    f"{verb}_{key}": f"EMS.closeDialog('{dlg}{name}')"
                    for key, name in (
                        ("cfg", "wndConfigurare"),
                        ("mode", "wndModalitate"),
                        ("inv", "wndFactura"),
                    )
                    for verb in ("close", "cancel")
                },
            }
    else:
        actions |= {
            "open_cfg": f"EMS.openWindow('wndConfigurare', '{ALERT_CONFIG_WINDOW}', "
            "'Configurare trimitere alertă', 540, 190)",
            "open_mode": f"EMS.openWindow('wndModalitate', '{ALERT_MODE_WINDOW}', "
            "'Alegere modalitate transmitere alerte', 500, 230)",
            "open_inv": f"EMS.openWindow('wndFactura', '{INVOICE_WINDOW}?' + EMS.filterQuery(), "
            "'Configurare transmitere factură', 520, 190)",
            "cancel_cfg": "EMS.closeSelf()",
            "cancel_mode": "EMS.closeSelf()",
            "cancel_inv": "EMS.closeSelf()",
            "close_cfg": "EMS.closeSelf()",
            "close_mode": "EMS.closeSelf()",
            "close_inv": "EMS.closeSelf()",
        }
        if variant.windows == "popupnav":
            # The second window's page replaces the first one's in the same popup.
            actions["open_mode"] = f"window.location.href = '{ALERT_MODE_WINDOW}'"
    return actions


class Pages:
    def __init__(self, portal: PortalState) -> None:
        self.portal = portal
        self.variant = portal.variant
        self.show = relabeller(portal.variant, portal.relabel)
        self.env = make_environment(portal.variant, self.show)
        self.actions = window_actions(portal.variant)
        self.dates: DateKind = DATE_KINDS[portal.variant.dates]
        self.filter_fields = {**FILTER_FIELDS, **self.dates.field_names()}

    # -- rendering -----------------------------------------------------------------------------

    def render(self, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        html = self.env.get_template(template).render(**context)
        return HTMLResponse(self.show(html), status_code=status_code)

    def json(self, payload: dict[str, Any]) -> Response:
        text = json.dumps(payload, ensure_ascii=False)
        return Response(self.show(text), media_type="application/json")

    def unavailable(self) -> HTMLResponse:
        return self.render("unavailable.html.j2", status_code=503)

    def _common(self, request: Request, user: SessionInfo) -> dict[str, Any]:
        now = self.portal.clock.now()
        return {
            "action": request.url.path,
            "user_name": user.display_name,
            "now_text": now.strftime("%d/%m/%Y %H:%M"),
            "today_iso": now.date().isoformat(),
            "year": now.year,
        }

    # -- authentication ------------------------------------------------------------------------

    def authenticate(self, request: Request, *, asynchronous: bool) -> SessionInfo | Response:
        user, expired = self.portal.touch_session(request.session.get("sid"))
        if user is not None:
            return user
        if expired:
            request.session.clear()
            request.session["flash"] = MSG_EXPIRED
            target = LOGIN_PATH
        else:
            target = f"{LOGIN_PATH}?ReturnUrl={quote(request.url.path)}"
        if asynchronous:
            return self.json({"redirect": target})
        return RedirectResponse(target, status_code=302)

    async def login(self, request: Request) -> Response:
        message = request.session.pop("flash", None)
        username = ""
        if request.method == "POST":
            form = await request.form()
            username = _text(form, P + "txtUtilizator")
            sid, message = self.portal.check_login(username, _text(form, P + "txtParola"))
            if sid is not None:
                request.session.clear()
                request.session["sid"] = sid
                target = request.query_params.get("ReturnUrl", "")
                if not target.startswith("/") or target.startswith("//"):
                    target = HOME_PATH
                return RedirectResponse(target, status_code=302)
        elif request.session.get("sid") in self.portal.sessions:
            return RedirectResponse(HOME_PATH, status_code=302)
        query = f"?{request.url.query}" if request.url.query else ""
        return self.render(
            "login.html.j2", action=LOGIN_PATH + query, message=message, username=username
        )

    async def logout(self, request: Request) -> Response:
        self.portal.end_session(request.session.get("sid"))
        request.session.clear()
        return RedirectResponse(LOGIN_PATH, status_code=302)

    async def home(self, request: Request) -> Response:
        user = self.authenticate(request, asynchronous=False)
        if isinstance(user, Response):
            return user
        jobs = self.portal.db.all("SELECT * FROM jobs ORDER BY scheduled_at DESC, id DESC LIMIT 6")
        recent = [
            {
                "kind": _JOB_KIND[j["type"]],
                "when": format_epoch(j["scheduled_at"], seconds=self.variant.with_seconds),
                "sent": j["sent"],
                "eligible": j["eligible"],
                "status": _JOB_STATUS[j["status"]],
            }
            for j in jobs
        ]
        return self.render(
            "default.html.j2",
            **self._common(request, user),
            viewstate="",
            recent_jobs=recent,
        )

    async def restricted(self, request: Request) -> Response:
        user = self.authenticate(request, asynchronous=False)
        if isinstance(user, Response):
            return user
        return self.render(
            "restricted.html.j2",
            **self._common(request, user),
            viewstate="",
            page_title=RESTRICTED_PAGES.get(request.url.path, "Pagină"),
        )

    # -- the two work screens ----------------------------------------------------------------

    def _default_state(self, screen: Screen) -> PageState:
        state = PageState(tab=screen.tabs[0], desc=self.variant.newest_first)
        if screen is INVOICES and self.variant.prefill == "yes":
            # Last month, as the screen remembers it: both ends are wrong for today's run.
            last = self.portal.clock.today().replace(day=1) - timedelta(days=1)
            state.filters["de"] = self.dates.posted(last.replace(day=1))
            state.filters["pana"] = self.dates.posted(last)
        return state

    async def alerts(self, request: Request) -> Response:
        return await self._screen(request, ALERTS)

    async def invoices(self, request: Request) -> Response:
        return await self._screen(request, INVOICES)

    async def _screen(self, request: Request, screen: Screen) -> Response:
        if request.method == "GET":
            user = self.authenticate(request, asynchronous=False)
            if isinstance(user, Response):
                return user
            return self._render_screen(
                request, user, screen, self._state_from_query(request, screen)
            )
        form = await request.form()
        asynchronous = _text(form, "__ASYNCPOST") == "true"
        user = self.authenticate(request, asynchronous=asynchronous)
        if isinstance(user, Response):
            return user
        state = PageState.decode(_text(form, "__VIEWSTATE"), self._default_state(screen))
        if screen is INVOICES and self.filter_fields["de"] in form:
            state.filters = {key: _text(form, name) for key, name in self.filter_fields.items()}
        target, argument = _text(form, "__EVENTTARGET"), _text(form, "__EVENTARGUMENT")
        message = error = None
        panel_changed = True
        # loading=xhr: a shown history tab first says "Se încarcă..." and then asks for its rows;
        # paging and sorting by XHR answer with the rows at once.
        deferred = self.variant.loading == "xhr" and not (asynchronous and target == T_GRID)
        if target == T_TABS and argument in screen.tabs:
            state.tab, state.page, state.windows = argument, 1, []
        elif target == T_GRID and argument == "Load":
            await asyncio.sleep(GRID_LOAD_DELAY_S)
        elif target == T_GRID:
            self._grid_event(state, screen, argument)
        elif target == T_OPEN:
            state.windows = ["wndConfigurare" if screen is ALERTS else "wndFactura"]
            panel_changed = False
        elif target == T_MODE and screen is ALERTS:
            state.windows = ["wndConfigurare", "wndModalitate"]
            panel_changed = False
        elif target == T_CLOSE and argument in state.windows:
            state.windows = state.windows[: state.windows.index(argument)]
            panel_changed = False
        elif target == T_SEND:
            message, error = await self._send(screen, form, state.filters)
            panel_changed = False
        elif target == T_OK:
            panel_changed = False
        if asynchronous:
            payload: dict[str, Any] = {
                "viewstate": state.encode(),
                "panel": None,
                "message": message,
                "error": error,
            }
            if panel_changed:
                payload["panel"] = self.show(
                    self.env.get_template(screen.panel).render(
                        **self._screen_context(request, user, screen, state, deferred=deferred)
                    )
                )
            return self.json(payload)
        return self._render_screen(
            request,
            user,
            screen,
            state,
            message=message,
            error=error,
            fundal=fundal_ticked(form) and message is None,
        )

    def _state_from_query(self, request: Request, screen: Screen) -> PageState:
        state = self._default_state(screen)
        query = request.query_params
        if query.get("tab") in screen.tabs:
            state.tab = query["tab"]
        state.page = _int(query.get("page"), 1)
        state.sort = sort_key(screen.table, query.get("sort", "data"))
        if query.get("dir") in {"asc", "desc"}:
            state.desc = query["dir"] == "desc"
        return state

    def _grid_event(self, state: PageState, screen: Screen, argument: str) -> None:
        kind, _, value = argument.partition("$")
        if kind == "Sort":
            key = sort_key(screen.table, value)
            if key == state.sort:
                state.desc = not state.desc
            else:
                state.sort = key
                state.desc = self.variant.newest_first if key == "data" else False
            state.page = 1
        elif kind == "PageSize":
            state.size, state.page = _int(value, state.size), 1
        elif kind == "Page":
            state.page = {
                "First": 1,
                "Last": 10**9,
                "Next": state.page + 1,
                "Prev": state.page - 1,
            }.get(value) or _int(value, state.page)

    def _screen_context(
        self,
        request: Request,
        user: SessionInfo,
        screen: Screen,
        state: PageState,
        *,
        deferred: bool = False,
    ) -> dict[str, Any]:
        context: dict[str, Any] = {
            **self._common(request, user),
            "st": state,
            "js": {
                **self.actions,
                "send": self.actions["send_alerts" if screen is ALERTS else "send_invoices"],
            },
            "columns": columns_for(screen.table, self.variant),
            "invoice_kinds": INVOICE_KINDS,
            "period_ids": {key: name.replace("$", "_") for key, name in self.filter_fields.items()},
            "deferred": deferred and state.tab == screen.history_tab,
            "loading_text": MSG_LOADING,
        }
        if state.tab == screen.history_tab:
            total = self.portal.db.counts.get(screen.table, 0)
            grid = fetch_page(
                self.portal.db,
                screen.table,
                sort=state.sort,
                desc=state.desc,
                page=state.page,
                page_size=effective_page_size(state.size, total, PAGE_SIZE),
            )
            state.page, state.sort = grid.page, grid.sort
            context["grid"] = grid
            context["rows"] = grid_rows(screen.table, grid, self.variant)
            context["pager_controls"] = pager_controls(
                self.variant.pager,
                page=grid.page,
                pages=grid.pages,
                total=grid.total,
                size=grid.size,
            )
            context["page_sizes"] = page_size_options(grid.total)
        if screen is ALERTS:
            context |= self._alert_window_context()
            context["alert_rows"] = [
                {
                    **dict(row),
                    "modified": format_epoch(row["modified_at"], seconds=False),
                }
                for row in self.portal.db.all("SELECT * FROM alert_config ORDER BY id")
            ]
        else:
            context["period_text"] = self._period_text(state.filters)
        return context

    def _period_text(self, filters: dict[str, str]) -> str:
        shown = self.dates.shown
        return f"{shown(filters.get('de', ''))} - {shown(filters.get('pana', ''))}"

    def _alert_window_context(self) -> dict[str, Any]:
        last = self.portal.db.scalar("SELECT MAX(scheduled_at) FROM jobs WHERE type = 'alerts'")
        channels = self.portal.db.one(
            "SELECT MAX(by_email) AS email, MAX(by_sms) AS sms FROM alert_config"
        )
        enabled = (channels["email"], channels["sms"]) if channels else (0, 0)
        names = [n for n, on in zip(("E-mail", "SMS"), enabled, strict=True) if on]
        return {
            "last_alert_run": format_epoch(last, seconds=self.variant.with_seconds) or "-",
            "channels": ", ".join(names) or "-",
        }

    def _render_screen(
        self,
        request: Request,
        user: SessionInfo,
        screen: Screen,
        state: PageState,
        *,
        message: str | None = None,
        error: str | None = None,
        fundal: bool = False,
    ) -> HTMLResponse:
        deferred = self.variant.loading == "xhr"
        context = self._screen_context(request, user, screen, state, deferred=deferred)
        return self.render(
            screen.template,
            **context,
            viewstate=state.encode(),
            message=message,
            error=error,
            fundal=fundal,
        )

    # -- sending -------------------------------------------------------------------------------

    async def _send(
        self, screen: Screen, form: FormData, filters: dict[str, str]
    ) -> tuple[str | None, str | None]:
        background = fundal_ticked(form)
        runner = self.portal.runner
        job: ScheduledJob
        if screen is ALERTS:
            job = runner.schedule_alerts(background=background)
        else:
            parsed = parse_filters(filters, self.dates)
            if parsed is None:
                return None, self.dates.error
            job = runner.schedule_invoices(parsed, background=background)
        if self.portal.faults.late_confirm_s:
            await asyncio.sleep(self.portal.faults.late_confirm_s)
        if background:
            return MSG_SCHEDULED, None
        await anyio.to_thread.run_sync(job.done.wait)
        status = self.portal.db.scalar("SELECT status FROM jobs WHERE id = ?", (job.id,))
        return (MSG_DONE if status == "done" else MSG_DONE_WITH_ERRORS), None

    # -- the windows as documents (windows=iframe|popup) --------------------------------------

    async def window(self, request: Request) -> Response:
        path = request.url.path
        name = {
            ALERT_CONFIG_WINDOW: "wndConfigurare",
            ALERT_MODE_WINDOW: "wndModalitate",
            INVOICE_WINDOW: "wndFactura",
        }[path]
        screen = INVOICES if name == "wndFactura" else ALERTS
        form: FormData | None = None
        asynchronous = False
        if request.method == "POST":
            form = await request.form()
            asynchronous = _text(form, "__ASYNCPOST") == "true"
        user = self.authenticate(request, asynchronous=asynchronous)
        if isinstance(user, Response):
            return user
        state = self._default_state(screen)
        query = request.query_params
        state.filters = {key: query.get(key, "") for key in FILTER_FIELDS}
        if form is not None:
            state = PageState.decode(_text(form, "__VIEWSTATE"), state)
        message = error = None
        if form is not None and _text(form, "__EVENTTARGET") == T_SEND and name != "wndConfigurare":
            message, error = await self._send(screen, form, state.filters)
        if asynchronous:
            return self.json({"message": message, "error": error, "viewstate": state.encode()})
        titles = {
            "wndConfigurare": "Configurare trimitere alertă",
            "wndModalitate": "Alegere modalitate transmitere alerte",
            "wndFactura": "Configurare transmitere factură",
        }
        return self.render(
            "window.html.j2",
            action=f"{path}?{request.url.query}" if request.url.query else path,
            viewstate=state.encode(),
            window=name,
            title=titles[name],
            js={
                **self.actions,
                "send": self.actions["send_alerts" if screen is ALERTS else "send_invoices"],
            },
            message=message,
            error=error,
            fundal=form is not None and fundal_ticked(form) and message is None,
            period_text=self._period_text(state.filters),
            **self._alert_window_context(),
        )


def parse_filters(
    filters: dict[str, str], dates: DateKind = DATE_KINDS["slash"]
) -> InvoiceFilters | None:
    """The window's filter values as InvoiceFilters; None if Perioada is missing or wrong."""
    start = dates.parse_posted(filters.get("de", ""))
    end = dates.parse_posted(filters.get("pana", ""))
    if start is None or end is None or end < start:
        return None
    return InvoiceFilters(
        start,
        end,
        customer_code=filters.get("cod", ""),
        kind=filters.get("tip", ""),
        locality=filters.get("loc", ""),
    )


def fundal_ticked(form: FormData) -> bool:
    """Fundal as posted: a native checkbox's "on", or a custom widget's ClientState."""
    if _text(form, F_FUNDAL) == "on":
        return True
    state = _text(form, F_FUNDAL.replace("$", "_") + "_ClientState")
    try:
        return bool(state) and json.loads(state).get("checked") is True
    except (ValueError, AttributeError):
        return False


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text else default
    except ValueError:
        return default
