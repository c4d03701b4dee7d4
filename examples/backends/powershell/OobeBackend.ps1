<#
.SYNOPSIS
    A complete oobe backend in PowerShell (7+, or Windows PowerShell 5.1), no modules needed.

.DESCRIPTION
    It speaks the oobe backend protocol 1.0 (docs/backend-protocol.md): JSON-RPC 2.0, one JSON
    message a line on standard input and output; log lines go to standard error, which oobe
    keeps for its diagnostics bundle. Run it through oobe:

        oobe --backend exec --backend-cmd 'pwsh -NoProfile -File examples/backends/powershell/OobeBackend.ps1'

    NOT TESTED IN CI: the project's machines have no PowerShell. This file was written from the
    protocol document and mirrors examples/backends/python/oobe_backend.py, which the tests run
    (the same lab, so examples/backends/python/contoso-lab.answers.json replays against both).
    Check it with your PowerShell before you rely on it, and report what breaks.

    It answers one call at a time, in order, which the protocol allows: every call is short,
    and stream.next answers within PollSeconds (5 s) with no event when the next one is
    further away. A backend that waits longer in a call (a real enrollment) should answer
    calls concurrently (runspaces), as the Python example does with threads.

    The lab (Contoso Lab, contoso-lab.example):

        Wi-Fi   Contoso-Lab    WPA2, key Lab-WiFi-2026!   internet
                Contoso-Guest  open                       no internet
                Contoso-Crew   802.1X: any lab user's name and password
        Users   avery.lab@contoso-lab.example   Avery#Lab-2026   no MFA
                blake.lab@contoso-lab.example   Blake#Lab-2026   Authenticator push
                casey.lab@contoso-lab.example   Casey#Lab-2026   code 135790
                drew.lab@contoso-lab.example    Drew#Lab-2026    enrollment fails (80180018)
        ESP     Device setup: one app (Contoso Legacy VPN) fails with 0x87D1041C; it does not
                block, so the phase completes.

    Secrets (keys, passwords, codes) are never written to standard error.
#>

$ErrorActionPreference = 'Stop'
$Protocol = '1.0.0'
$Name = 'contoso-lab-powershell'
$Version = '1.0.0'
$PollSeconds = 5

$Domain = 'contoso-lab.example'
$Serial = 'PS7C0FFEE42'
$Networks = @(
    @{ ssid = 'Contoso-Lab'; signal = 4; security = 'psk'; key = 'Lab-WiFi-2026!'; internet = $true }
    @{ ssid = 'Contoso-Guest'; signal = 3; security = 'open'; internet = $false }
    @{ ssid = 'Contoso-Crew'; signal = 2; security = 'enterprise'; internet = $true }
)
$Users = @{
    "avery.lab@$Domain" = @{ password = 'Avery#Lab-2026'; name = 'Avery Lab'; mfa = 'none' }
    "blake.lab@$Domain" = @{ password = 'Blake#Lab-2026'; name = 'Blake Lab'; mfa = 'push' }
    "casey.lab@$Domain" = @{ password = 'Casey#Lab-2026'; name = 'Casey Lab'; mfa = 'code'; code = '135790' }
    "drew.lab@$Domain"  = @{ password = 'Drew#Lab-2026'; name = 'Drew Lab'; mfa = 'none'; enrollFail = '80180018' }
}
# Device setup's apps: id, name, seconds, failure code ($null: installs). The leading commas
# keep each row an array (@() would flatten the rows into one list).
$Apps = @(
    , @('6a1f0c52-1d0e-4d35-9a55-2f0d8c1e7a01', 'Company Portal', 3, $null)
    , @('6a1f0c52-1d0e-4d35-9a55-2f0d8c1e7a02', 'Microsoft Edge', 4, $null)
    , @('6a1f0c52-1d0e-4d35-9a55-2f0d8c1e7a03', 'Contoso Legacy VPN', 5, '0x87D1041C')
)
$Blocking = @('6a1f0c52-1d0e-4d35-9a55-2f0d8c1e7a01', '6a1f0c52-1d0e-4d35-9a55-2f0d8c1e7a02')
$DeviceProfile = [ordered]@{  # not $Profile: PowerShell's own variable
    profile      = [ordered]@{
        id                 = '5f7c2f0e-0000-4000-8000-000000000001'
        name               = 'Contoso Lab - user-driven Entra join'
        join               = 'entra'
        mode               = 'userDriven'
        localeMode         = 'user-select'
        userType           = 'standard'
        deviceNameTemplate = 'LAB-%RAND:5%'
        esp                = [ordered]@{
            show                  = $true
            timeoutMinutes        = 60
            customErrorMessage    = "Setup couldn't finish. Call the lab desk on extension 4242."
            allowLogCollection    = $true
            blockDeviceUse        = $true
            allowReset            = $true
            allowContinue         = $true
            blockingAppIds        = $Blocking
            installQualityUpdates = $true
            onlyAutopilot         = $true
        }
        hello              = [ordered]@{ state = 'enabled'; minLength = 6; maxLength = 127; uppercase = 'allowed'; lowercase = 'allowed'; special = 'allowed' }
    }
    organization = [ordered]@{
        id            = '5f7c2f0e-0000-4000-8000-0000000000aa'
        displayName   = 'Contoso Lab'
        defaultDomain = $Domain
        initialDomain = 'contosolab.onmicrosoft.com'
        domains       = @('contosolab.onmicrosoft.com', $Domain)
    }
    branding     = [ordered]@{
        backgroundColor = '#1F4E79'
        signInPageText  = 'Contoso Lab devices are for training only.'
        usernameHint    = "name.lab@$Domain"
    }
}
$Phases = @('devicePreparation', 'deviceSetup', 'accountSetup')

# The device: its emulated clock starts at the real time of the hello and moves by the
# emulated durations of the work; real waits are those durations divided by the speed (none
# at speed 0, oobe's --speed max).
$State = @{
    Hello     = $false
    Speed     = 0.0
    Start     = [DateTime]::UtcNow
    Elapsed   = 0.0
    Tickets   = @{}
    Seq       = 0
    Streams   = @{}
    StreamSeq = 0
}

function Write-Log([string]$Text) {
    [Console]::Error.WriteLine("OobeBackend.ps1: $Text")
    [Console]::Error.Flush()
}

# A flow.Error: a stable code, Windows' hexadecimal code, a detail in words.
function New-BackendError([string]$Code, [string]$Detail = '', [string]$HResult = '') {
    $data = [ordered]@{ code = $Code }
    if ($HResult) { $data.hresult = $HResult }
    if ($Detail) { $data.detail = $Detail }
    $ex = [System.Exception]::new($Code)
    $ex.Data['oobe'] = $data
    return $ex
}

function Get-Now {
    $State.Start.AddSeconds($State.Elapsed).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", [Globalization.CultureInfo]::InvariantCulture)
}

function Wait-Emulated([double]$Seconds) {
    $State.Elapsed += $Seconds
    if ($State.Speed -gt 0) { Start-Sleep -Milliseconds ([int](1000 * $Seconds / $State.Speed)) }
}

function Assert-Hello { if (-not $State.Hello) { throw (New-BackendError 'bad_request' 'call hello first') } }

function Get-Ticket($Ticket, [switch]$NeedMFA, [switch]$NeedEnrolled) {
    $t = $null
    if ($Ticket) { $t = $State.Tickets[[string]$Ticket] }
    if ($null -eq $t) { throw (New-BackendError 'not_signed_in' 'no sign-in with this ticket') }
    if ($NeedMFA -and -not $t.mfaDone) { throw (New-BackendError 'mfa_required' 'the multifactor challenge was not answered') }
    if ($NeedEnrolled -and -not $t.enrolled) { throw (New-BackendError 'not_enrolled' 'the device was never enrolled') }
    return $t
}

# (PowerShell's names are case-insensitive: a local $domain would hide $Domain.)
function Get-User([string]$Typed) {
    $key = $Typed.Trim().ToLowerInvariant()
    if (-not $key.Contains('@')) { throw (New-BackendError 'unknown_user' 'not a user principal name') }
    $userDomain = $key.Substring($key.LastIndexOf('@') + 1)
    if ($userDomain -ne $Domain) { throw (New-BackendError 'other_organization' $userDomain) }
    if (-not $Users.ContainsKey($key)) { throw (New-BackendError 'unknown_user') }
    return @($key, $Users[$key])
}

# A stream is a list of steps: events (hashtables) and waits (numbers of emulated seconds).
function New-UpdateSteps([bool]$Quality) {
    $s = [System.Collections.ArrayList]::new()
    if (-not $Quality) {
        foreach ($p in @(@('checking', 2), @('downloading', 3), @('installing', 2))) {
            [void]$s.Add(@{ kind = 'update.progress'; phase = $p[0]; progress = 0 })
            for ($i = 1; $i -le 4; $i++) {
                [void]$s.Add([double]($p[1] / 4))
                [void]$s.Add(@{ kind = 'update.progress'; phase = $p[0]; progress = $i / 4 })
            }
        }
        [void]$s.Add(@{ kind = 'update.done'; progress = 1 })
        return , $s
    }
    [void]$s.Add(@{ kind = 'update.progress'; phase = 'downloading'; progress = 0 })
    for ($i = 1; $i -lt 10; $i++) {
        [void]$s.Add([double]1)
        $phase = if ($i -lt 5) { 'downloading' } else { 'installing' }
        [void]$s.Add(@{ kind = 'update.progress'; phase = $phase; progress = $i / 10 })
    }
    [void]$s.Add([double]1)
    [void]$s.Add(@{ kind = 'update.restart' })
    [void]$s.Add([double]3)
    [void]$s.Add(@{ kind = 'update.resumed' })
    [void]$s.Add(@{ kind = 'update.progress'; phase = 'finishing'; progress = 1 })
    [void]$s.Add([double]1)
    [void]$s.Add(@{ kind = 'update.done'; progress = 1 })
    return , $s
}

function New-EspSteps([string]$Phase) {
    $s = [System.Collections.ArrayList]::new()
    function ev([string]$Kind, [hashtable]$More = @{}) {
        $e = @{ kind = $Kind; phase = $Phase }
        foreach ($k in $More.Keys) { $e[$k] = $More[$k] }
        return $e
    }
    [void]$s.Add((ev 'esp.start' @{ state = 'working' }))
    if ($Phase -eq 'devicePreparation') {
        foreach ($cat in @('securingHardware', 'joiningNetwork', 'registeringMDM')) {
            [void]$s.Add((ev 'esp.item' @{ category = $cat; state = 'complete' }))
        }
        [void]$s.Add((ev 'esp.item' @{ category = 'preparingMDM'; state = 'working' }))
        [void]$s.Add([double]4)
        [void]$s.Add((ev 'esp.item' @{ category = 'preparingMDM'; state = 'complete' }))
        [void]$s.Add((ev 'esp.done' @{ state = 'complete' }))
        return , $s
    }
    [void]$s.Add([double]2)
    if ($Phase -eq 'deviceSetup') {
        $groups = @(
            , @('policies', @(, @('lab-policy-1', 'Contoso Lab security baseline', 1, $null)))
            , @('certificates', @(, @('lab-cert-1', 'Contoso Lab Root CA', 1, $null)))
            , @('networkConnections', @(, @('lab-wifi-1', 'Contoso-Lab Wi-Fi', 1, $null)))
            , @('apps', $Apps)
        )
    }
    else {
        $groups = @(
            , @('policies', @(, @('lab-user-policy', 'Contoso Lab user settings', 1, $null)))
            , @('certificates', @())
            , @('networkConnections', @())
            , @('apps', @(, @('6a1f0c52-1d0e-4d35-9a55-2f0d8c1e7a10', 'Microsoft Teams', 3, $null)))
        )
    }
    foreach ($g in $groups) {
        $items = @(foreach ($it in $g[1]) { [ordered]@{ id = $it[0]; name = $it[1]; state = 'waiting' } })
        [void]$s.Add((ev 'esp.identified' @{ category = $g[0]; items = $items }))
    }
    foreach ($g in $groups) {
        foreach ($it in $g[1]) {
            [void]$s.Add((ev 'esp.item' @{ category = $g[0]; itemId = $it[0]; state = 'working' }))
            [void]$s.Add([double]($it[2]))
            if ($it[3]) {
                [void]$s.Add((ev 'esp.item' @{ category = $g[0]; itemId = $it[0]; state = 'failed'; code = $it[3] }))
                if ($Blocking -contains $it[0]) {
                    [void]$s.Add((ev 'esp.done' @{ state = 'failed'; category = $g[0]; itemId = $it[0]; code = $it[3] }))
                    return , $s
                }
            }
            else {
                [void]$s.Add((ev 'esp.item' @{ category = $g[0]; itemId = $it[0]; state = 'complete' }))
            }
        }
    }
    [void]$s.Add((ev 'esp.done' @{ state = 'complete' }))
    return , $s
}

function Open-Stream($Steps) {
    Assert-Hello
    $State.StreamSeq++
    $id = "ps$($State.StreamSeq)"
    $State.Streams[$id] = @{ Steps = $Steps; Index = 0; Owed = 0.0 }
    return [ordered]@{ stream = $id }
}

# stream.next: the next event and those that follow it at once (marked more), or none once
# the poll time is spent within a wait.
function Read-Stream([string]$Id) {
    $st = $State.Streams[$Id]
    if ($null -eq $st) { throw (New-BackendError 'bad_request' 'no open stream of that id') }
    $events = [System.Collections.ArrayList]::new()
    $deadline = [DateTime]::UtcNow.AddSeconds($PollSeconds)
    while ($true) {
        if ($st.Index -ge $st.Steps.Count) { $State.Streams.Remove($Id); return [ordered]@{ events = @($events); end = $true } }
        $step = $st.Steps[$st.Index]
        if ($step -is [double]) {
            if ($events.Count -gt 0) { return [ordered]@{ events = @($events); end = $false } }
            if ($st.Owed -eq 0) { $st.Owed = $step }
            $chunk = $st.Owed
            if ($State.Speed -gt 0) {
                $left = [Math]::Max(0.0, ($deadline - [DateTime]::UtcNow).TotalSeconds)
                $chunk = [Math]::Min($chunk, $left * $State.Speed)
            }
            Wait-Emulated $chunk
            $st.Owed -= $chunk
            if ($st.Owed -gt 1e-9) { return [ordered]@{ events = @(); end = $false } }
            $st.Owed = 0.0
            $st.Index++
            continue
        }
        $st.Index++
        $ev = @{}
        foreach ($k in $step.Keys) { $ev[$k] = $step[$k] }
        $ev.at = Get-Now
        if ($events.Count -gt 0) { $events[$events.Count - 1].more = $true }
        [void]$events.Add($ev)
        if (@('update.done', 'esp.done', 'error') -contains $ev.kind) {
            $State.Streams.Remove($Id)
            return [ordered]@{ events = @($events); end = $true }
        }
    }
}

# The methods: params (a PSCustomObject) → result (a hashtable), or a thrown backend error.
$Methods = @{
    'hello'            = {
        param($p)
        $major = ([string]$p.protocol).Split('.')[0]
        if ($major -ne $Protocol.Split('.')[0]) { throw (New-BackendError 'protocol' "this backend speaks protocol $Protocol") }
        if (-not $State.Hello) {
            $State.Hello = $true
            $State.Speed = [double]$p.speed
            $State.Start = [DateTime]::UtcNow
        }
        Write-Log "hello from $($p.client), speed $($p.speed)"
        [ordered]@{ protocol = $Protocol; name = $Name; version = $Version; capabilities = @() }
    }
    'boot'             = {
        param($p)
        Assert-Hello
        [ordered]@{
            boot            = [ordered]@{ languages = @('en-US'); wired = $false; profileKnown = $false }
            serial          = $Serial
            ethernetPresent = $false
            handout         = @(
                [ordered]@{ label = 'Wi-Fi Contoso-Lab'; value = 'Lab-WiFi-2026!' }
                [ordered]@{ label = 'Account'; value = "blake.lab@$Domain" }
                [ordered]@{ label = 'Password'; value = 'Blake#Lab-2026' }
            )
        }
    }
    'scan'             = {
        param($p)
        Assert-Hello
        Wait-Emulated 1
        [ordered]@{ networks = @(foreach ($n in $Networks) { [ordered]@{ ssid = $n.ssid; signal = $n.signal; security = $n.security } }) }
    }
    'connect'          = {
        param($p)
        Assert-Hello
        Wait-Emulated 2
        $net = $Networks | Where-Object { $_.ssid -ceq [string]$p.ssid } | Select-Object -First 1
        if ($null -eq $net) { throw (New-BackendError 'no_such_network' 'no network of that name is in range') }
        if ($net.security -eq 'psk' -and [string]$p.key -cne $net.key) { throw (New-BackendError 'wrong_key') }
        if ($net.security -eq 'enterprise') {
            $u = $Users[([string]$p.identity).ToLowerInvariant()]
            if ($null -eq $u -or $u.password -cne [string]$p.key) { throw (New-BackendError 'wrong_key' 'the network did not accept the user name and password') }
        }
        [ordered]@{ internet = $net.internet }
    }
    'profile.download' = { param($p) Assert-Hello; Wait-Emulated 2; $DeviceProfile }
    'updates.check'    = { param($p) Open-Stream (New-UpdateSteps $false) }
    'user.check'       = { param($p) Assert-Hello; Wait-Emulated 1; [void](Get-User ([string]$p.upn)); @{} }
    'signin'           = {
        param($p)
        Assert-Hello
        Wait-Emulated 1
        $upn, $user = Get-User ([string]$p.upn)
        if ([string]$p.password -cne $user.password) { throw (New-BackendError 'wrong_password') }
        $State.Seq++  # ticket numbers go on counting across reset: old tickets stay void
        $ticket = "ps-ticket-$($State.Seq)"
        $State.Tickets[$ticket] = @{ upn = $upn; mfaDone = ($user.mfa -eq 'none'); enrolled = $false }
        $r = [ordered]@{ ticket = $ticket; upn = $upn; displayName = $user.name; mfa = $user.mfa }
        if ($user.mfa -eq 'push') { $r.mfaNumber = 42 }
        $r
    }
    'mfa.wait'         = { param($p) Assert-Hello; $t = Get-Ticket $p.ticket; Wait-Emulated 3; $t.mfaDone = $true; @{} }
    'code.verify'      = {
        param($p)
        Assert-Hello
        $t = Get-Ticket $p.ticket
        Wait-Emulated 1
        if ($Users[$t.upn].code -cne [string]$p.code) { throw (New-BackendError 'wrong_code') }
        $t.mfaDone = $true
        @{}
    }
    'enroll'           = {
        param($p)
        Assert-Hello
        $t = Get-Ticket $p.ticket -NeedMFA
        Wait-Emulated 3
        $fail = $Users[$t.upn].enrollFail
        if ($fail) { throw (New-BackendError 'enrollment_failed' 'the device could not enroll in MDM' $fail) }
        $t.enrolled = $true
        @{}
    }
    'provision'        = {
        param($p)
        Assert-Hello
        [void](Get-Ticket $p.ticket -NeedEnrolled)
        if ($Phases -notcontains [string]$p.phase) { throw (New-BackendError 'bad_request' 'unknown ESP phase') }
        Open-Stream (New-EspSteps ([string]$p.phase))
    }
    'quality.updates'  = { param($p) Open-Stream (New-UpdateSteps $true) }
    'vpn.connect'      = { param($p) Assert-Hello; throw (New-BackendError 'bad_request' 'no VPN client is installed on this device') }
    'device.name'      = { param($p) Assert-Hello; [ordered]@{ name = 'LAB-' + $Serial.Substring($Serial.Length - 5) } }
    'reset'            = { param($p) Assert-Hello; $State.Tickets = @{}; $State.Streams = @{}; @{} }
    'stream.next'      = { param($p) Read-Stream ([string]$p.stream) }
    'stream.close'     = { param($p) $State.Streams.Remove([string]$p.stream); @{} }
}

function Send-Message($Message) {
    $line = ConvertTo-Json -InputObject $Message -Depth 32 -Compress
    [Console]::Out.WriteLine($line)
    [Console]::Out.Flush()
}

function Invoke-Request($Msg) {
    $method = [string]$Msg.method
    $hasId = $Msg.PSObject.Properties.Name -contains 'id' -and $null -ne $Msg.id
    if (-not $hasId) { return }  # a notification (cancel): nothing to answer; calls run in turn
    $fn = $Methods[$method]
    if ($null -eq $fn) {
        Send-Message ([ordered]@{ jsonrpc = '2.0'; id = $Msg.id; error = [ordered]@{ code = -32601; message = "no method $method" } })
        return
    }
    try {
        Write-Log "call $method"  # never the params: they may hold a secret
        $params = $Msg.params
        if ($null -eq $params) { $params = [pscustomobject]@{} }
        $result = & $fn $params
        Send-Message ([ordered]@{ jsonrpc = '2.0'; id = $Msg.id; result = $result })
    }
    catch {
        $data = $_.Exception.Data['oobe']
        if ($null -eq $data) {
            # a bug here must not kill the device: report it
            Write-Log "internal error in $method"
            $data = [ordered]@{ code = 'internal'; detail = $_.Exception.Message }
        }
        else {
            Write-Log "error $method $($data.code)"
        }
        $text = $data.code
        if ($data.detail) { $text = "$($data.code): $($data.detail)" }
        Send-Message ([ordered]@{ jsonrpc = '2.0'; id = $Msg.id; error = [ordered]@{ code = -32000; message = $text; data = $data } })
    }
}

$utf8 = [System.Text.UTF8Encoding]::new($false)
try {
    [Console]::InputEncoding = $utf8
    [Console]::OutputEncoding = $utf8
}
catch {
    # Windows PowerShell may refuse to change the encoding of redirected handles
    Write-Log "could not set UTF-8 on standard input/output: $($_.Exception.Message)"
}
Write-Log "ready: protocol $Protocol"
while ($null -ne ($line = [Console]::In.ReadLine())) {
    if ($line.Trim() -eq '') { continue }
    try { $msg = ConvertFrom-Json -InputObject $line }
    catch {
        Send-Message ([ordered]@{ jsonrpc = '2.0'; id = $null; error = [ordered]@{ code = -32700; message = 'parse error' } })
        continue
    }
    foreach ($m in @($msg)) { Invoke-Request $m }
}
Write-Log 'standard input closed: bye'
