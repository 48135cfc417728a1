package mail

// templates are the shop's mail templates, one define per mail and locale.
const templates = `
{{define "welcome_en"}}Welcome to the shop, {{.Name}}!{{end}}
{{define "welcome_pt"}}Bem-vindo à loja, {{.Name}}!{{end}}
{{define "welcome_de"}}Willkommen im Shop, {{.Name}}!{{end}}
`
