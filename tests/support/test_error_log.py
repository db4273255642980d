"""Pasted Protheus error logs: found in the message, read into fields, kept out of the intent."""

import pytest

from protheus.support.customer_words import classification_text
from protheus.support.error_log import LOG_PLACEHOLDER, looks_like_log, mended, module_of, parse, split_log

# (message as customers paste it, expected fields)
SAMPLES = [
    (
        "buenas, al grabar el pedido me sale esto:\nTHREAD ERROR ([4412], jlopez, SRV01)   12/03/2024   10:22:13\n"
        "variable does not exist C5_XTIPO on MATA410(MATA410.PRW) 12/03/2024 line : 2345",
        dict(
            error="variable does not exist C5_XTIPO",
            routine="MATA410",
            source="MATA410.PRW",
            line=2345,
            field="C5_XTIPO",
            table="SC5",
            module="SIGAFAT",
        ),
    ),
    (
        "array out of bounds ( 3 of 2 )  on A410GRAVA(MATA410.PRX) 06/05/2023 15:22:11 line : 1234",
        dict(
            error="array out of bounds ( 3 of 2 )", routine="MATA410", function="A410GRAVA", line=1234, module="SIGAFAT"
        ),
    ),
    (
        "al incluir el título en finanzas: type mismatch on + on FA050GRV(FINA050.PRX) 02/02/2024 line : 567",
        dict(
            error="type mismatch on +",
            routine="FINA050",
            function="FA050GRV",
            source="FINA050.PRX",
            line=567,
            module="SIGAFIN",
        ),
    ),
    (
        "Error : 102 (42000) (RC=-1) - [Microsoft][ODBC SQL Server Driver][SQL Server]Incorrect syntax near 'AND'. "
        "( From tMSSQLConnection::ExecuteQuery )",
        # The database's message as the log states it, with its driver, up to the query.
        dict(
            error="Error : 102 (42000) (RC=-1) - [Microsoft][ODBC SQL Server Driver][SQL Server]"
            "Incorrect syntax near 'AND'"
        ),
    ),
    (
        "me sale en la nota de entrada: Error : -19 - TOPCONN - Invalid column name 'D1_XLOTE' on "
        "A103GRAVA(MATA103.PRW) line : 880",
        dict(routine="MATA103", field="D1_XLOTE", table="SD1", module="SIGACOM", line=880),
    ),
    (
        "THREAD ERROR ([7788], admin, PRODUCCION) 01/04/2024 08:01:55\n"
        "Alias does not exist SZ1 on U_XFATR01(XFATR01.PRW) 01/04/2024 line : 45",
        dict(
            error="Alias does not exist SZ1",
            table="SZ1",
            routine=None,
            function="U_XFATR01",
            line=45,
            customer_code=True,
        ),
    ),
    (
        "argument #0 error, expected N->C, function substr on CTBA102(CTBA102.PRW) line : 3321",
        dict(routine="CTBA102", line=3321, module="SIGACTB"),
    ),
    (
        "al calcular la nómina: variable is not an object on GPEM020(GPEM020.PRX) 28/02/2024 line : 910",
        dict(error="variable is not an object", routine="GPEM020", module="SIGAGPE", line=910),
    ),
    (
        "Invalid ReadMSInt in file C:\\TOTVS\\Protheus_Data\\system\\sx3010.dtc on MATA010(MATA010.PRW) line : 77",
        dict(routine="MATA010", module="SIGAEST", line=77),
    ),
    (
        "Called from A410GRAVA(MATA410.PRW) 12/03/2024 10:22:13 line : 2345\n"
        "Called from MATA410(MATA410.PRW) line : 88",
        dict(routine="MATA410", function="A410GRAVA", line=2345),
    ),
    (
        "[BUILD: 7.00.210324P-20230928] [RPO Release 12.1.2310]\n"
        "variable does not exist NX on ATFA050(ATFA050.PRW) line : 12",
        dict(release="12.1.2310", build="7.00.210324P-20230928", routine="ATFA050", module="SIGAATF"),
    ),
    (
        "Open empty work area on MATA330(MATA330.PRW) line : 1502",
        dict(error="Open empty work area", routine="MATA330", module="SIGAEST"),
    ),
    (
        "cannot find method FWFORMVIEW:ADDFIELD on MATA261(MATA261.PRW) line : 290",
        dict(routine="MATA261", module="SIGAEST", line=290),
    ),
    (
        "Error : 2627 - Violation of UNIQUE KEY constraint 'SE1010_UNQ'. Cannot insert duplicate key",
        dict(error="Error : 2627 - Violation of UNIQUE KEY constraint 'SE1010_UNQ'. Cannot insert duplicate key"),
    ),
    (
        "ORA-00942: table or view does not exist on FINA040(FINA040.PRW) line : 1001",
        dict(routine="FINA040", module="SIGAFIN", line=1001),
    ),
    (
        "Stack overflow on LOJA701(LOJA701.PRW) line : 50",
        dict(error="Stack overflow", routine="LOJA701", module="SIGALOJA"),
    ),
    (
        "Work area not in use on MATA460(MATA460.PRX) line : 4410",
        dict(error="Work area not in use", routine="MATA460", module="SIGAFAT"),
    ),
    (
        "invalid macro source on PONM010(PONM010.PRW) line : 66",
        dict(error="invalid macro source", routine="PONM010", module="SIGAPON"),
    ),
    (
        "desde el patch de la 12.1.2210 al timbrar:\n"
        "variable does not exist cXmlCFDI on FISA110(FISA110.PRW) line : 210",
        dict(release="12.1.2210", routine="FISA110", module="SIGAFIS", line=210),
    ),
    (
        "bad index on MNTA420(MNTA420.PRW) line : 33",
        dict(error="bad index", routine="MNTA420", module="SIGAMNT"),
    ),
    (
        "THREAD ERROR ([1020], maria, SRV02) 10/10/2024 17:00:00\n"
        "type mismatch on > on MATA120(MATA120.PRX) 10/10/2024 line : 1789\n"
        "[TOTVS Build 7.00.240223P]",
        dict(error="type mismatch on >", routine="MATA120", module="SIGACOM", build="7.00.240223P"),
    ),
    (
        "en compras me aparece deadlock detected on MATA094(MATA094.PRW) line : 55",
        dict(routine="MATA094", module="SIGACOM", line=55),
    ),
]


@pytest.mark.parametrize(("text", "expected"), SAMPLES)
def test_each_log_shape_is_read(text, expected):
    found = parse(text)
    assert found is not None
    for name, value in expected.items():
        assert getattr(found, name) == value, (name, getattr(found, name))


def test_at_least_twenty_shapes():
    assert len(SAMPLES) >= 20


def test_the_customers_words_are_kept_apart_from_the_log():
    words, log = split_log(SAMPLES[0][0])
    assert words == "buenas, al grabar el pedido me sale esto:"
    assert log.startswith("THREAD ERROR") and "MATA410" not in words
    assert classification_text(SAMPLES[0][0]) == f"al grabar el pedido me sale esto: {LOG_PLACEHOLDER}"


def test_a_log_on_the_same_line_as_the_words():
    words, log = split_log(SAMPLES[2][0])
    assert words == "al incluir el título en finanzas:" and log.startswith("type mismatch")


@pytest.mark.parametrize(
    "text",
    [
        "quiero reportar un error en facturación",
        "¿cómo funciona el parámetro MV_ESTNEG?",
        "el pedido MATA410 no graba y no sé por qué",
        "me sale un error log al grabar el pedido",
        "el reporte no cuadra on line con el banco",
        "¿me ayudan a instalar el DBAccess en el servidor nuevo?",
        "actualicé el RPO y el TOPCONN ya no conecta",
    ],
)
def test_ordinary_messages_are_not_logs(text):
    assert not looks_like_log(text) and classification_text(text) == text and parse(text) is None


def test_the_summary_names_the_fields_in_spanish():
    summary = parse(SAMPLES[0][0]).summary()
    assert summary.startswith(
        "error: variable does not exist C5_XTIPO; tipo: error de ejecución; rutina: MATA410; fuente: MATA410.PRW"
    )
    assert "código: de TOTVS" in summary
    assert "línea: 2345" in summary and "tabla: SC5" in summary and "módulo: SIGAFAT" in summary


def test_modules_come_from_the_data_file():
    assert module_of("MATA410") == "SIGAFAT" and module_of("MATA103") == "SIGACOM"
    assert module_of("FINA050") == "SIGAFIN" and module_of("mata410") == "SIGAFAT"
    assert module_of("XFATR01") is None and module_of(None) is None


@pytest.mark.parametrize(
    ("text", "routine", "module"),
    [
        # The routine in the customer's words around a log that does not name it.
        ("en la CTBA-190 me sale: ORA-01795: maximum number of expressions in a list is 1000", "CTBA190", "SIGACTB"),
        ("MATA290 - ORA-01795: maximum number of expressions in a list is 1000", "MATA290", "SIGAEST"),
        # A routine's helper in a companion source: MA410IMPOS in MATN410B belongs to MATA410.
        ("type mismatch on compare on MA410IMPOS(MATN410B.PRW).", "MATA410", "SIGAFAT"),
    ],
)
def test_the_routine_is_found_where_the_customer_or_the_stack_names_it(text, routine, module):
    found = parse(text)
    assert (found.routine, found.module) == (routine, module)


def test_a_companion_source_of_a_standard_routine_is_totvs_code():
    assert parse("type mismatch on compare on MA410IMPOS(MATN410B.PRW).").customer_code is False


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("la fórmula da variable does not exist C1_GRUPCOM - Tipo de Compras", "variable does not exist C1_GRUPCOM"),
        ("Error : 1 - Duplicate key on MATA410(MATA410.PRW)", "Error : 1 - Duplicate key"),
        ("TC_Open - No connection on FWTABLEDDL:OPENTABLE(FWTABLEDDL.PRX)", "TC_Open - No connection"),
    ],
)
def test_a_documents_title_after_a_message_is_not_the_message(text, error):
    assert parse(text).error == error


def test_a_short_log_broken_by_a_phone_is_joined_where_the_phone_broke_it():
    phone = "argument #0 error, expected\nN->U,function dbgoto on\nU_AOMS072R(AOMS072.PRW) line : 872"
    found = parse(phone)
    assert (found.error, found.function, found.line) == (
        "argument #0 error, expected N->U,function dbgoto",
        "U_AOMS072R",
        872,
    )


def test_short_lines_the_log_wrote_apart_stay_apart():
    log = "Error : 102\nIncorrect syntax near 'X'\n[thread: 4412]\n[build: 7.00.240223P]"
    assert mended(log) == log


def test_a_function_named_before_the_customers_words_is_the_failing_one():
    found = parse("VARIABLE IS NOT AN OBJECT ON HS_RKITMMP AO ADICIONAR UM KIT NO ATENDIMENTO.")
    assert (found.error, found.function, found.module, found.field) == (
        "VARIABLE IS NOT AN OBJECT",
        "HS_RKITMMP",
        "SIGAHSP",
        None,
    )
    assert parse("type mismatch on compare al grabar el pedido").function is None  # «compare» is no function


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("argument #0 error, expected C->D, function left (L:2208).", 2208),
        ("type mismatch on compare  on VALORCTB(CTBXFUN.PRX) 27/11/2003 line : \n4419 \n \n[build:7.00.031210A]", 4419),
    ],
)
def test_the_line_where_a_release_note_or_a_wrapped_paste_puts_it(text, line):
    assert parse(text).line == line


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ('{"errorCode": 400, "errorMessage": "Cliente não encontrado"}', "servicio_web"),
        ("ORA-12154: TNS:could not resolve the connect identifier specified", "conexion"),
        ("Microsoft OLE DB Provider for SQL Server error 80004005", "base_de_datos"),
        ("Invalid Write on SA1 (Record locked by another user)", "base_de_datos"),
        ("al grabar sale Stack overflow en el pedido", "ejecucion"),
        # Start-up and connection words.
        ("[ERROR][SERVER] Insufficient privileges for COMPILE", "arranque"),
        ("[ERROR][SERVER] Address already in use: bind to port 1234", "arranque"),
        ("[ERROR][SERVER] Connection refused (10061) to DBAccess 10.0.0.5:7890", "conexion"),
    ],
)
def test_messages_known_by_their_shape_without_a_frame(text, kind):
    assert parse(text).kind.value == kind


@pytest.mark.parametrize(
    ("text", "error", "kind"),
    [
        # The editor's output when a patch is applied: its error line, among information lines.
        (
            "[Info - 9:10:11 AM] Starting apply patch.\n[Error - 9:10:12 AM] Patch could not be applied. "
            "Server returned: Patch file not found.\n[Info - 9:10:12 AM] Apply patch finished.",
            "Patch could not be applied. Server returned: Patch file not found",
            "arranque",
        ),
        # A language server's trace: the line that failed, without its timing and file prefix.
        (
            "(  12.001s) [languageServer  ]  connection_manager.cc:100  | Starting build for environment p12.\n"
            "(  14.327s) [languageServer  ]  connection_manager.cc:2589  | MS_DBGCOMPILE FAILED with error message: "
            "No programs compiled.",
            "MS_DBGCOMPILE FAILED with error message: No programs compiled",
            "arranque",  # compiling into the RPO
        ),
        # The database's line as written, with the table in front.
        (
            "SA1010: DB error (Insert): -37 File: SA1010 - Error : 2601 - duplicate key row",
            "SA1010: DB error (Insert): -37 File: SA1010 - Error : 2601 - duplicate key row",
            "base_de_datos",
        ),
        # A C++ location and the comment marks before the frame are not the message.
        (
            "Update error - lock required - File: SA1010 in file D:\\build\\advplfile.cpp at line 77\n"
            "// on U_ZFAT01(ZFAT01.PRW) 04/09/2020 17:29:00 line : 67",
            "Update error - lock required - File: SA1010",
            "base_de_datos",
        ),
        ("Error Type Mismatch en Actualizar Cotización", "Type Mismatch", "ejecucion"),
        ("Erro no gatilho: type mismatch on + Tabela SB1 usando ExecAuto", "type mismatch on +", "ejecucion"),
    ],
)
def test_shapes_of_editors_traces_and_databases(text, error, kind):
    found = parse(text)
    assert (found.error, found.kind.value) == (error, kind)


def test_a_header_after_the_customers_words_on_one_line_keeps_the_words_out():
    text = (
        "hola, me sale este error: THREAD ERROR ([1234], admin, PC01) 01/02/2024 10:00:00 variable does not "
        "exist CFILPED on U_ADFIN020(ADFIN020P.PRW) 01/02/2024 10:00:00 line : 120"
    )
    words, log = split_log(text)
    assert words == "hola, me sale este error:" and log.startswith("THREAD ERROR")
    found = parse(text)
    assert found.error == "variable does not exist CFILPED" and found.function == "U_ADFIN020" and found.line == 120


# --- general rules of issue 22: each with an example of its own, not a corpus log -------------
def test_a_runtime_message_in_the_customers_code_is_a_runtime_error_not_their_exception():
    found = parse("String size overflow! on U_ZGERATXT(ZGERATXT.PRW) 03/05/2024 11:20:00 line : 88")
    assert (found.customer_code, found.kind.value) == (True, "ejecucion")


def test_the_functions_of_a_stack_do_not_decide_the_kind():
    log = (
        "variable does not exist NTOTAL on U_ZFAT040(ZFAT040.PRW) 01/02/2024 10:00:00 line : 31\n"
        "Called from TCSQLEXEC(APLIB300.PRW) 01/02/2024 10:00:00 line : 12\n"
        "Called from U_ZFATMENU(ZFATMENU.PRW) 01/02/2024 10:00:00 line : 7"
    )
    assert parse(log).kind.value == "ejecucion"


@pytest.mark.parametrize(
    ("text", "error", "kind"),
    [
        # An exception's class name marks a log by itself.
        (
            "al sincronizar me sale: java.net.ConnectException: Connection timed out: connect",
            "java.net.ConnectException: Connection timed out: connect",
            "conexion",
        ),
        # A compiler's line: its source and line go, its code stays; a compile failure is start-up's.
        ("ZVEND020.PRW(55)   C2001 Syntax error", "C2001 Syntax error", "arranque"),
        # The preprocessor's copy and the word «Error» before the code are not the message.
        (
            "APPRE77.PRW(3) Error C2090 File not found ZDEFS.CH   (ZVEND020.PRW)",
            "C2090 File not found ZDEFS.CH",
            "arranque",
        ),
        # Messages Portuguese and Spanish systems write, quoted by the customer.
        ("al facturar me sale: variable no existe NVALOR", "variable no existe NVALOR", "ejecucion"),
        # The AdvPL functions that call a web service make it a web service's failure.
        (
            "[ERROR][SERVER] HttpPost failed: timeout reading the response",
            "HttpPost failed: timeout reading the response",
            "servicio_web",
        ),
    ],
)
def test_a_log_told_by_its_structure(text, error, kind):
    found = parse(text)
    assert (found.error, found.kind.value) == (error, kind)


def test_the_developer_tools_progress_lines_are_not_the_message():
    text = (
        "Compilação iniciada em Mon Mar 04 2024 10:00:00 GMT-0300\n"
        "Bridge Return:\n"
        "TypeError: Cannot read properties of undefined (reading 'length')\n"
        "Compilação finalizada em Mon Mar 04 2024 10:00:02 GMT-0300"
    )
    found = parse(text)
    assert found.error == "TypeError: Cannot read properties of undefined (reading 'length')"
    assert found.kind.value == "arranque"


def test_a_line_that_ends_in_a_colon_announces_the_message_on_the_next():
    text = (
        "[0x00002a10][04-03-2024 10:00:00] - Starting SmartClient\n"
        "[0x00002a10][04-03-2024 10:00:01] - Debug Thread exception:\n"
        "[0x00002a10][04-03-2024 10:00:01] - Access is denied: c:\\totvs\\bin"
    )
    assert parse(text).error == "Access is denied: c:\\totvs\\bin"


@pytest.mark.parametrize(
    "text",
    [
        "**[WARN ][SERVER] Debugger - Rollback executed for the repository.**",
        "me sale esto: [WARN ][SERVER] Debugger - Rollback executed for the repository.",
    ],
)
def test_markdown_and_the_customers_words_around_a_console_line(text):
    words, log = split_log(text)
    assert log.startswith("[WARN ][SERVER]") and "**" not in log
    assert parse(text).kind.value == "arranque"  # the debugger rolled the RPO back: the tools'


def test_an_editors_prefix_and_a_debuggers_namespaced_stack():
    text = (
        "Warn  - 10:00:01 AM] [10:00:01] ERROR: Invalid parameter value on TcpConnect\n"
        "TLPP.NET.CLIENT:OPEN - NET_CLIENT.TLPP(88) - Params: NPORT:443\n"
        "U_ZINTEG - ZINTEG.PRW(12) - Params: none"
    )
    found = parse(text)
    assert (found.error, found.function, found.line) == (
        "Invalid parameter value on TcpConnect",
        "TLPP.NET.CLIENT:OPEN",
        88,
    )
    assert found.customer_code is False  # TOTVS's namespace, whatever its source is called


def test_a_namespaced_source_is_a_third_partys_unless_in_a_totvs_namespace():
    found = parse("variable does not exist NX on FWLABS.REPORTS:PRINT(FW.LABS.REPORTS.TLPP) line : 5")
    assert found.customer_code is True  # «FW.LABS…» is not TOTVS's FW framework


def test_the_module_from_its_entry_at_the_bottom_of_the_stack():
    log = (
        "type mismatch on + on ZCALC(ZCALC.PRW) 01/02/2024 10:00:00 line : 3\n"
        "Called from MDIEXECUTE(APLIB000.PRW) 01/02/2024 10:00:00 line : 9\n"
        "Called from SIGAFIN(APLIB000.PRW) 01/02/2024 10:00:00 line : 12"
    )
    assert parse(log).module == "SIGAFIN"


@pytest.mark.parametrize(
    ("text", "module"),
    [
        ("en la HSPAHM010 me sale: variable does not exist NX", "SIGAHSP"),  # a family of its own shape
        ("llamo a A410Grava(.T.) desde mi rutina y sale: ORA-00001: unique constraint violated", "SIGAFAT"),
    ],
)
def test_the_module_from_a_routine_or_function_the_text_names(text, module):
    assert parse(text).module == module


def test_a_compiled_source_without_a_frame_is_the_source_and_says_whose_it_is():
    found = parse("Error in ZVEND01.prw   Undeclared variable NTOTAL")
    assert (found.source, found.customer_code, found.error) == ("ZVEND01.PRW", True, "Undeclared variable NTOTAL")


def test_totvs_ships_its_sources_as_prx():
    assert parse("type mismatch on + on NFEGERA(NFEXMLX.PRX) line : 40").customer_code is False
    assert parse("type mismatch on + on U_ZNFE(NFEXMLX.PRX) line : 40").customer_code is True


@pytest.mark.parametrize(
    ("text", "error"),
    [
        # A tool's label of what failed is part of its message.
        ("[Error - 10:00:00] Recompile error: Build not started.", "Recompile error: Build not started"),
        # A release note's title before « - », also when the message is not self-evident.
        ("Baixa de títulos - Duplicate key on FA070GRV(FINA070.PRX)", "Duplicate key"),
        ("TopConnect monitor - Invalid Field Order in Query", "Invalid Field Order in Query"),
        # A bare number before an Oracle code repeats it.
        ("1722 - ORA-01722: invalid number", "ORA-01722: invalid number"),
    ],
)
def test_where_a_message_opens_after_a_label_or_a_title(text, error):
    assert parse(text).error == error


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("Could not create the temporary folder /tmp/appserver for the job", None),
        ("al compilar me sale Unable to open include file TOTVS.CH y no compila", None),
        ("buenas, desde ayer: Connection with the license server could not be made (port 5555)", None),
    ],
)
def test_a_systems_english_message_no_list_holds_is_a_log(text, error):
    found = parse(text)
    assert found is not None, text
    assert found.error and found.error.split()[0] in ("Could", "Unable", "Connection")


@pytest.mark.parametrize(
    "text",
    [
        "Hello, I need help with an error in the purchase order screen",
        "The invoice could not be posted",  # English, but no code, path nor bracket of a system's
        "sorry, the code I gave you was wrong, es PTY091",
        "el sistema dice error y no sé qué hacer con el pedido 123",
    ],
)
def test_a_customer_writing_english_is_not_a_systems_message(text):
    assert parse(text) is None


@pytest.mark.parametrize(
    ("text", "error", "kind"),
    [
        # The port layer's time, thread, code and level letter, and where in its C++ code, are not the message.
        (
            "[VDRPORT] 240101_101010 1A2B VSC0891 E fatal error from SSL [error:0200100D:system library:fopen:Denied]",
            "fatal error from SSL [error:0200100D:system library:fopen:Denied]",
            "conexion",
        ),
        (
            "[VDRPORT] E 01/02/25 10:00:00  VSS:0862 line=375 cmd=[SSL_write, alocated: 512] error=1 msg=[bad mac]",
            "cmd=[SSL_write, alocated: 512] error=1 msg=[bad mac]",
            "conexion",
        ),
        # A console line quoted in a reply («> »), and a connection told by its verb.
        ("> [WARN ][SERVER] Debugger - Rollback executed.", "Debugger - Rollback executed", "arranque"),
        (
            "[Error - 09:00:00] Unable to connect to the server 10.0.0.1:1234.",
            "Unable to connect to the server 10.0.0.1:1234",
            "conexion",
        ),
    ],
)
def test_the_port_layers_and_quoted_console_lines(text, error, kind):
    found = parse(text)
    assert (found.error, found.kind.value) == (error, kind)


@pytest.mark.parametrize(
    ("text", "error", "kind"),
    [
        # A console.log line announcing the message on the next; «Error:» before a timestamp is no DBAccess code.
        (
            "2025-01-02T10:00:00.000001+00:00 12|MPMenu Error:\n"
            "2025-01-02T10:00:00.000002+00:00 12|Menu file not found : /SYSTEM/SIGAFAT.XNU",
            "Menu file not found : /SYSTEM/SIGAFAT.XNU",
            "arranque",
        ),
        # The editor's bridge answering in JSON; a message in « -- » parts is one message.
        (
            '{"msgs":[{"Key":"x.prw","Value":[{"Message":"Request ignored -- RMS_X -- Build not started."}]}]}',
            "Request ignored -- RMS_X -- Build not started",
            "arranque",
        ),
        # A tool's line break printed as «\n\r»; the tool's own sentence before a known message.
        (
            "An error ocurred while connecting.\\n\\rServer: 10.0.0.1:1234 [Prod]",
            "An error ocurred while connecting",
            None,
        ),
        ("[Error - 10:00:00] Connection failed. Could not connect to server 10.0.0.2:1234.", None, "conexion"),
        # The level after the thread's tag; a C++ location «on …cpp at N» is not the message.
        (
            "[Thread 42] JSON_Session::post: CONTEXT_TO_RUN failed.\n"
            "[Thread 42] [FATAL] Communication error: Sync error on /src/lib_comm/msgmanager.cpp at 472",
            "Communication error: Sync error",
            "conexion",
        ),
        # A server's or a tool's message without any trace of the runtime: it failed starting or working.
        ("File \\systemload\\SXSPAN.TXT not found.", "File \\systemload\\SXSPAN.TXT not found", "arranque"),
        ("variable does not exist CTIPO", "variable does not exist CTIPO", "ejecucion"),
        ("Invalid client library [libpq.so] (ODBC)", "Invalid client library [libpq.so] (ODBC)", "base_de_datos"),
        # A qualified exception's name is one name.
        (
            "Thread[2] - 01/01/2020 10:00:00: System.IO.IOException: The process cannot access the file x.ppo",
            "System.IO.IOException: The process cannot access the file x.ppo",
            None,
        ),
        ("Connection interrupted by the Administrator on MSAPP:ACTIVATE(FWAPP.PRW) line : 602", None, "conexion"),
        ("Application Server is Shutting Down. on ZJOBX(ZJOBX.PRW) 02/10/2024 11:50:28", None, "arranque"),
    ],
)
def test_servers_and_tools_messages(text, error, kind):
    found = parse(text)
    if error is not None:
        assert found.error == error
    if kind is not None:
        assert found.kind.value == kind


def test_the_whole_sentence_of_a_tool_before_its_known_message():
    found = parse("[Error - 10:00:00] Connection failed. Could not connect to server 10.0.0.2:1234.")
    assert found.error == "Connection failed. Could not connect to server 10.0.0.2:1234"


def test_a_systems_message_broken_over_a_phones_short_lines():
    text = (
        "Debug adapter executable\n'/home/ana/.vscode/extensions/acme.tools-1.0.2/bin/BridgeLinux64'\ndoes not exist."
    )
    found = parse(text)
    assert found is not None and found.error.startswith("Debug adapter executable")
    assert parse("hola\nel pedido no graba\n¿me ayudan?") is None


def test_a_systems_message_going_on_in_portuguese_is_not_cut_at_its_prepositions():
    text = "System.Net.Sockets.SocketException (0x80004005): A conexão foi anulada pelo software no computador host"
    assert parse(text).error == text
    # A customer's Spanish after an English message still ends it.
    assert parse("type mismatch on + al cerrar el mes en costos").error == "type mismatch on +"


@pytest.mark.parametrize(
    ("text", "customer_code"),
    [
        # A function alone, no source: TOTVS's unless a user function or in the customers' Z namespace.
        ("variable does not exist NSEQX on FGRVQQOBS", False),
        ("variable does not exist NSEQX on U_FGRVQQOBS", True),
        ("variable does not exist NSEQX on ZGRVQQOBS", True),
    ],
)
def test_whose_code_a_function_without_its_source_is(text, customer_code):
    assert parse(text).customer_code is customer_code


@pytest.mark.parametrize(
    ("text", "error", "kind"),
    [
        ("FWFormModelStruct: Campo:ZZ1_CODX não encontrado.", "FWFormModelStruct: Campo:ZZ1_CODX não encontrado", None),
        (
            "!ENTRY br.com.totvs.tds.server.ui 4 0 2020-01-01 10:00:00.000\n"
            "!MESSAGE Could not reach the server 10.1.1.1.",
            "Could not reach the server 10.1.1.1",
            None,
        ),
        ("ERROR: operator does not exist: numeric = text; Error while executing the query", None, "base_de_datos"),
    ],
)
def test_framework_classes_eclipse_logs_and_queries(text, error, kind):
    found = parse(text)
    if error is not None:
        assert found.error == error
    if kind is not None:
        assert found.kind.value == kind


def test_a_rest_answers_stack_in_one_line():
    found = parse('"Erro\\r\\n(1) : argument #0 error, expected D->U,  function dtos | U_ZREST01(120) | POSTX(69) | "')
    assert (found.error, found.function, found.line, found.customer_code) == (
        "argument #0 error, expected D->U,  function dtos",
        "U_ZREST01",
        120,
        True,
    )


def test_the_customers_words_after_a_systems_message_on_a_console_line_are_theirs():
    # Found using the product: «… from RPO y no puedo seguir» was all read as the message.
    text = "al compilar me sale esto: [Error - 10:15:02] Could not read the include folder /totvs/inc y no compila nada"
    words, log = split_log(text)
    assert parse(text).error == "Could not read the include folder /totvs/inc"
    assert "no compila nada" in words
    # A type letter in brackets is no Spanish word: «[U]» does not end the message.
    assert parse("variable is not array - Type [U] on A999X(ZA999.PRW)").function == "A999X"
