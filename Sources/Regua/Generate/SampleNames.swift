/// Word lists for generated data: pt-BR names with accents, streets and cities.
enum SampleNames {
    static let first = [
        "João", "José", "Antônio", "Francisco", "Carlos", "Paulo", "Pedro", "Lucas", "Luís", "Marcos",
        "Gabriel", "Rafael", "Daniel", "Márcio", "Fábio", "André", "Sérgio", "Vinícius", "Thiago", "Inácio",
        "Maria", "Ana", "Francisca", "Antônia", "Adriana", "Juliana", "Márcia", "Fernanda", "Patrícia", "Aline",
        "Letícia", "Júlia", "Beatriz", "Cecília", "Lúcia", "Conceição", "Simone", "Cláudia", "Tânia", "Vitória",
    ]

    static let last = [
        "Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves", "Pereira", "Lima", "Gomes",
        "Ribeiro", "Carvalho", "Araújo", "Gonçalves", "Magalhães", "Conceição", "Fernandes", "Simões", "Brandão",
        "Falcão", "Leão", "Guimarães", "Assunção", "Patrício", "Lopes", "Mendonça", "Sá", "Romão", "Estêvão", "Damião",
    ]

    static let business = [
        "Comércio", "Serviços", "Indústria", "Distribuidora", "Transportes", "Construções", "Alimentos",
        "Tecnologia", "Confecções", "Farmácia",
    ]

    /// What a company does, after its kind (the realistic mix's long trade names).
    static let businessTrade = [
        "de Alimentos e Bebidas", "de Materiais de Construção", "e Comércio de Peças Automotivas",
        "de Produtos Farmacêuticos", "e Logística Integrada", "de Tecidos e Confecções", "Agropecuária",
        "de Equipamentos Hospitalares", "e Serviços de Informática", "de Cosméticos e Perfumaria",
    ]

    /// Particles of Brazilian names.
    static let particles = ["da", "de", "do", "dos", "das"]

    /// Street names as long as real ones.
    static let longStreets = [
        "Avenida Presidente Juscelino Kubitschek de Oliveira", "Rua Doutor Antônio Bento de Assunção",
        "Avenida Marechal Cândido Rondon", "Rua Professora Conceição Aparecida Magalhães",
        "Travessa Coronel João Gonçalves de Araújo", "Avenida Governador Agamenon Magalhães",
        "Rua Desembargador Vicente Ferreira Guimarães", "Estrada Municipal Padre Inácio de Loyola",
        "Rua Visconde de Inhaúma", "Alameda Barão de Limeira", "Avenida Engenheiro Luís Carlos Berrini",
        "Rua São Sebastião do Paraíso",
    ]

    /// District names as long as real ones.
    static let longDistricts = [
        "Jardim Nossa Senhora Aparecida", "Vila Santa Terezinha do Menino Jesus", "Parque São Jorge",
        "Conjunto Habitacional Presidente Médici", "Jardim das Acácias", "Centro Histórico", "Água Branca",
        "Residencial Bosque dos Ipês",
    ]

    static let companySuffix = ["Ltda", "S.A.", "ME", "EIRELI", "Ltda."]

    static let streets = [
        "Rua das Flores", "Avenida Brasil", "Rua São João", "Travessa da Conceição", "Alameda Santos",
        "Rua Sete de Setembro", "Avenida Getúlio Vargas", "Rua Tiradentes", "Rua Marechal Deodoro", "Praça da Sé",
        "Rua Dom Pedro II", "Avenida Paulista", "Rua Barão de Itapetininga", "Estrada do Açude",
    ]

    static let districts = [
        "Centro", "Jardim América", "Vila Mariana", "Boa Vista", "Santa Cecília", "São José", "Liberdade",
        "Água Verde", "Itaim Bibi", "Jardim Botânico",
    ]

    static let complements = ["Apto 12", "Sala 305", "Bloco B, apto 41", "Casa 2", "Fundos", "Loja 3"]

    static let domains = ["exemplo.com.br", "email.com.br", "correio.net", "empresa.ind.br", "caixa.org.br"]

    /// City, UF, area code (DDD) and the first two digits of its CEPs.
    static let cities: [(city: String, state: String, ddd: Int, cep: Int)] = [
        ("São Paulo", "SP", 11, 1), ("Campinas", "SP", 19, 13), ("Rio de Janeiro", "RJ", 21, 20),
        ("Belo Horizonte", "MG", 31, 30), ("Curitiba", "PR", 41, 80), ("Porto Alegre", "RS", 51, 90),
        ("Salvador", "BA", 71, 40), ("Recife", "PE", 81, 50), ("Fortaleza", "CE", 85, 60),
        ("Brasília", "DF", 61, 70), ("Goiânia", "GO", 62, 74), ("Manaus", "AM", 92, 69),
        ("Belém", "PA", 91, 66), ("Florianópolis", "SC", 48, 88), ("Vitória", "ES", 27, 29),
        ("Natal", "RN", 84, 59), ("João Pessoa", "PB", 83, 58), ("Maceió", "AL", 82, 57),
        ("São Luís", "MA", 98, 65), ("Teresina", "PI", 86, 64), ("Cuiabá", "MT", 65, 78),
        ("Campo Grande", "MS", 67, 79), ("Aracaju", "SE", 79, 49), ("Palmas", "TO", 63, 77),
        ("Porto Velho", "RO", 69, 76), ("Rio Branco", "AC", 68, 69), ("Boa Vista", "RR", 95, 69),
        ("Macapá", "AP", 96, 68),
    ]

    /// Lower-case ASCII form of a name, for e-mail local parts (`Conceição` → `conceicao`).
    static func ascii(_ s: String) -> String {
        var out = ""
        for ch in s.lowercased() {
            switch ch {
            case "á", "à", "â", "ã", "ä": out.append("a")
            case "é", "ê", "è": out.append("e")
            case "í", "î": out.append("i")
            case "ó", "ô", "õ", "ö": out.append("o")
            case "ú", "ü": out.append("u")
            case "ç": out.append("c")
            case "a"..."z", "0"..."9": out.append(ch)
            default: break
            }
        }
        return out
    }
}
