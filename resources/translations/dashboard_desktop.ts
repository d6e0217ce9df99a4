<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1">
<context>
    <name>Application</name>
    <message>
        <location filename="../../dashboard_desktop/app.py" line="124"/>
        <source>Dashboard Desktop</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConnectionIndicator</name>
    <message>
        <location filename="../../dashboard_desktop/ui/indicator.py" line="36"/>
        <source>never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/indicator.py" line="39"/>
        <source>just now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/indicator.py" line="41"/>
        <source>{n} min ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/indicator.py" line="45"/>
        <source>{n} h ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/indicator.py" line="50"/>
        <source>1 day ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/indicator.py" line="52"/>
        <source>{n} days ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/indicator.py" line="60"/>
        <source>Connecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/indicator.py" line="62"/>
        <source>Live</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/indicator.py" line="64"/>
        <source>Reconnecting (attempt {k} of {n})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/indicator.py" line="68"/>
        <source>Polling (REST every {s:g} s; last poll {t})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/indicator.py" line="72"/>
        <source>Offline (nothing reachable; data from {t})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/indicator.py" line="75"/>
        <source>Not authorised</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/indicator.py" line="92"/>
        <source>Connection state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/indicator.py" line="107"/>
        <source>Last event: {r}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/indicator.py" line="123"/>
        <source>Data summary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/indicator.py" line="129"/>
        <source>Version {v}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/indicator.py" line="130"/>
        <source>{n} items</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/indicator.py" line="137"/>
        <source>cached {t} ({a})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/indicator.py" line="142"/>
        <source>confirmed live</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/indicator.py" line="145"/>
        <source>confirmed {t} ({a})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/indicator.py" line="150"/>
        <source>STALE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/indicator.py" line="166"/>
        <source>TLS verification off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/indicator.py" line="169"/>
        <source>The server&apos;s TLS certificate is not checked (verify_tls = false): anyone on the way to the server could read and change the data.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DetailsPane</name>
    <message>
        <location filename="../../dashboard_desktop/ui/details.py" line="15"/>
        <source>Title</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/details.py" line="16"/>
        <source>Start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/details.py" line="17"/>
        <source>End</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/details.py" line="18"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/details.py" line="19"/>
        <source>Location</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/details.py" line="20"/>
        <source>Assignee</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/details.py" line="21"/>
        <source>Notes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/details.py" line="22"/>
        <source>Updated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/details.py" line="23"/>
        <source>Id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/details.py" line="44"/>
        <source>Details of the selected item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/details.py" line="58"/>
        <source>Select a row to see all its fields.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Diagnostics</name>
    <message>
        <location filename="../../dashboard_desktop/ui/diagnostics.py" line="42"/>
        <source>{n} s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/diagnostics.py" line="44"/>
        <source>{n} min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/diagnostics.py" line="45"/>
        <source>{h} h {m:02d} min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/diagnostics.py" line="69"/>
        <source>Diagnostics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/diagnostics.py" line="84"/>
        <location filename="../../dashboard_desktop/ui/diagnostics.py" line="132"/>
        <source>Counters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/diagnostics.py" line="87"/>
        <source>Counter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/diagnostics.py" line="88"/>
        <source>Labels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/diagnostics.py" line="89"/>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/diagnostics.py" line="116"/>
        <source>Connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/diagnostics.py" line="121"/>
        <source>States over the last hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/diagnostics.py" line="128"/>
        <source>Event latency, last hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/diagnostics.py" line="140"/>
        <source>Now: {state}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/plots.py" line="108"/>
        <source>Connection states over time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/plots.py" line="143"/>
        <source>Event latency chart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/plots.py" line="165"/>
        <source>No event latencies yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/plots.py" line="166"/>
        <source>median {p50:.0f} ms · p99 {p99:.0f} ms · {n} events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/plots.py" line="201"/>
        <source>Connecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/plots.py" line="202"/>
        <source>Live</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/plots.py" line="203"/>
        <source>Reconnecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/plots.py" line="206"/>
        <source>Polling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/plots.py" line="207"/>
        <source>Offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/plots.py" line="208"/>
        <source>Not authorised</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ErrorBanner</name>
    <message>
        <location filename="../../dashboard_desktop/ui/banner.py" line="18"/>
        <source>Error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/banner.py" line="20"/>
        <source>Dismiss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/banner.py" line="22"/>
        <source>Dismiss the error message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/banner.py" line="36"/>
        <source> ({n} errors)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ErrorChannel</name>
    <message>
        <location filename="../../dashboard_desktop/errors.py" line="104"/>
        <location filename="../../dashboard_desktop/errors.py" line="119"/>
        <source>Unexpected error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/errors.py" line="112"/>
        <source>Unexpected error in thread {name}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>KioskTable</name>
    <message>
        <location filename="../../dashboard_desktop/ui/kiosk_table.py" line="65"/>
        <source>Schedule</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message>
        <location filename="../../dashboard_desktop/ui/kiosk_window.py" line="44"/>
        <source>Connecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/kiosk_window.py" line="45"/>
        <source>Not confirmed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/kiosk_window.py" line="46"/>
        <source>Not authorised</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/kiosk_window.py" line="47"/>
        <source>Offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/kiosk_window.py" line="49"/>
        <source>{state} - no data yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/kiosk_window.py" line="52"/>
        <source>{state} - data from {t}, {a}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/kiosk_window.py" line="61"/>
        <source>Nothing more on the schedule - {n} items have ended</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/kiosk_window.py" line="65"/>
        <source>Nothing on the schedule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/kiosk_window.py" line="67"/>
        <source>Waiting for the schedule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/kiosk_window.py" line="99"/>
        <source>Dashboard Desktop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/kiosk_window.py" line="191"/>
        <source>TLS verification off - the server is not authenticated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/kiosk_window.py" line="212"/>
        <source> ({n} errors)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/kiosk_window.py" line="218"/>
        <source>Unexpected error</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../dashboard_desktop/ui/actions.py" line="31"/>
        <source>{action} ({keys})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/actions.py" line="54"/>
        <source>&amp;Refresh Now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/actions.py" line="59"/>
        <source>&amp;Full Screen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/actions.py" line="65"/>
        <source>&amp;Diagnostics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/actions.py" line="71"/>
        <source>&amp;Find</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/actions.py" line="75"/>
        <source>&amp;Settings...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/actions.py" line="80"/>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/actions.py" line="84"/>
        <source>&amp;About</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/main_window.py" line="73"/>
        <source>Dashboard Desktop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/main_window.py" line="107"/>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/main_window.py" line="116"/>
        <source>Search (Ctrl+F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/main_window.py" line="117"/>
        <source>Search the schedule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/main_window.py" line="138"/>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/main_window.py" line="145"/>
        <source>&amp;Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/main_window.py" line="146"/>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/main_window.py" line="148"/>
        <source>&amp;Sort by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/main_window.py" line="151"/>
        <source>C&amp;olumns</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/main_window.py" line="154"/>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/main_window.py" line="158"/>
        <source>Main</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/main_window.py" line="248"/>
        <source>About Dashboard Desktop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/main_window.py" line="251"/>
        <source>Dashboard Desktop {v}
Server: {s}
Protocol: dashboard backend protocol v1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ScheduleTable</name>
    <message>
        <location filename="../../dashboard_desktop/ui/table.py" line="44"/>
        <source>Schedule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/table.py" line="46"/>
        <source>One row per item. Arrow keys move between rows, Ctrl+C copies the selected rows, View &gt; Sort by sorts, View &gt; Columns shows and hides columns.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/table.py" line="60"/>
        <source>&amp;Copy Row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/table.py" line="109"/>
        <source>&amp;Schedule Order</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ScheduleTableModel</name>
    <message>
        <location filename="../../dashboard_desktop/ui/timecues.py" line="123"/>
        <location filename="../../dashboard_desktop/ui/timecues.py" line="144"/>
        <source>Next</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/columns.py" line="69"/>
        <source>Scheduled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/columns.py" line="70"/>
        <source>In progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/columns.py" line="71"/>
        <source>Delayed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/columns.py" line="72"/>
        <source>Completed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/columns.py" line="73"/>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/columns.py" line="109"/>
        <source>Start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/columns.py" line="111"/>
        <source>End</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/columns.py" line="112"/>
        <source>Title</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/columns.py" line="115"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/columns.py" line="120"/>
        <source>Location</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/columns.py" line="125"/>
        <source>Assignee</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/columns.py" line="129"/>
        <source>Notes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/timecues.py" line="126"/>
        <source>May have changed since {t}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/timecues.py" line="161"/>
        <source>Local clock {n} min behind the server; showing server time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/timecues.py" line="164"/>
        <source>Local clock {n} min ahead of the server; showing server time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/timecues.py" line="174"/>
        <source>Yesterday&apos;s schedule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/timecues.py" line="175"/>
        <source>Schedule of {d}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../dashboard_desktop/ui/settings_dialog.py" line="127"/>
        <source>Set by {source}: used, not saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/settings_dialog.py" line="153"/>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/settings_dialog.py" line="183"/>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/settings_dialog.py" line="198"/>
        <source>Connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/settings_dialog.py" line="203"/>
        <source>Kiosk wall display</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/settings_dialog.py" line="206"/>
        <source>Changes apply at once; the connection restarts if needed. The token is kept in the system keyring, never in the config file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/settings_texts.py" line="21"/>
        <source>&amp;Server URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/settings_texts.py" line="22"/>
        <source>&amp;Namespace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/settings_texts.py" line="23"/>
        <source>Access &amp;token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/settings_texts.py" line="24"/>
        <source>&amp;Poll interval (seconds)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/settings_texts.py" line="25"/>
        <source>&amp;Verify TLS certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/settings_texts.py" line="26"/>
        <source>C&amp;A bundle (PEM file)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/settings_texts.py" line="27"/>
        <source>&amp;Kiosk mode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/settings_texts.py" line="28"/>
        <source>Kiosk scr&amp;een</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/settings_texts.py" line="29"/>
        <source>Kiosk e&amp;xit keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/settings_texts.py" line="30"/>
        <source>Page &amp;interval (seconds)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/settings_texts.py" line="31"/>
        <source>&amp;Burn-in shift</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/settings_texts.py" line="32"/>
        <source>Kiosk tit&amp;le</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/settings_texts.py" line="38"/>
        <source>Base URL of the dashboard backend (http or https).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/settings_texts.py" line="41"/>
        <source>Dashboard namespace.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/settings_texts.py" line="42"/>
        <source>Access token for the backend (visible ASCII, no spaces); empty for none. Never shown or logged.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/settings_texts.py" line="47"/>
        <source>REST polling interval while the socket is down, in seconds, from 0.1 up to 86400 (one day).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/settings_texts.py" line="52"/>
        <source>Verify the server&apos;s TLS certificate.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/settings_texts.py" line="55"/>
        <source>PEM CA bundle both channels verify the server with; none: certifi&apos;s Mozilla bundle.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/settings_texts.py" line="64"/>
        <source>Run as a kiosk wall display: full screen and frameless, large high-contrast text, no menus or dialogs; only the kiosk exit keys quit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/settings_texts.py" line="69"/>
        <source>Screen of the kiosk: its name (e.g. HDMI-1) or 0-based index; empty for the primary screen, which is also used while the screen named is missing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/settings_texts.py" line="74"/>
        <source>Key sequence that quits the kiosk (Esc does nothing), e.g. Ctrl+Alt+Q or Ctrl+K, Ctrl+Q; Ctrl, Alt or Meta required.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/settings_texts.py" line="79"/>
        <source>Seconds each page of a kiosk schedule longer than the screen is shown, from 1 up to 86400 (one day).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/settings_texts.py" line="84"/>
        <source>Shift the kiosk&apos;s content by a few pixels every two minutes (burn-in).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../dashboard_desktop/ui/settings_texts.py" line="88"/>
        <source>Dashboard title shown in the kiosk&apos;s header.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsFlow</name>
    <message>
        <location filename="../../dashboard_desktop/connection.py" line="170"/>
        <source>Settings applied but not saved: {e}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
