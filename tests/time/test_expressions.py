"""Time expressions, resolved against the publication date.

The table quotes real sentences of the Wikinews corpus (`shared/corpus/wikinews`, file named in
each case) and resolves them against that article's real publication date (INDEX.tsv); the
quote is checked to be in the article (" […] " marks a cut), so the table cannot drift from it.
"""

from __future__ import annotations

import re
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from sitrep.errors import ConfigError
from sitrep.model import TimeRef
from sitrep.time import expressions
from sitrep.time.expressions import find_times, lexicon

from conftest import CORPUS, corpus_index

SEED_PUBLISHED = date(2022, 9, 13)  # a Tuesday


def _published(file: str) -> date | None:
    for row in corpus_index():
        if row["file"] == file:
            try:
                return date.fromisoformat(row["published"])
            except ValueError:
                return None  # "2004-11/2005-01 (not in text; dataset window)"
    raise LookupError(file)


def _flat(text: str) -> str:
    """Whitespace collapsed, MediaWiki links reduced to their labels (2004 texts are wikitext)."""
    text = re.sub(r"\[\[(?:[^\[\]|]*\|)?([^\[\]|]*)\]\]", r"\1", text)
    return re.sub(r"\s+", " ", text)


def _quoted(fragment: str, article: str) -> bool:
    """Every piece of the quote is in the article, in order."""
    flat, at = _flat(article), 0
    for piece in _flat(fragment).split(" […] "):
        at = flat.find(piece, at)
        if at < 0:
            return False
        at += len(piece)
    return True


def case(
    file: str,
    fragment: str,
    span: str,
    value: str | None,
    precision: int = 1,
    kind: str = "absolute",
    *,
    time: str | None = None,
    end: str | None = None,
) -> Any:
    return pytest.param(
        file, fragment, span, value, precision, kind, time, end, id=f"{file[:6]}-{span}"
    )


CASES = [
    # --- French -------------------------------------------------------------------------------
    case("fr/001_france-attaque-a-valence-drome.txt",
         "1er janvier 2016, 14h30 . –", "1er janvier 2016, 14h30", "2016-01-01"),
    case("fr/002_irak-deux-mosquees-sunnites-visees-par-des-attentats-et-un-m.txt",
         "Aujourd'hui avant l'aube, des attentats à la bombe ont été perpétrés",
         "Aujourd'hui", "2016-01-04", kind="relative"),
    case("fr/002_irak-deux-mosquees-sunnites-visees-par-des-attentats-et-un-m.txt",
         "c'est la mosquée Ammar ben Yasser qui a été attaquée peu après minuit.",
         "minuit", "2016-01-04", kind="clock"),
    case("fr/002_irak-deux-mosquees-sunnites-visees-par-des-attentats-et-un-m.txt",
         "l'exécution de Nimr Baqer al-Nimr en Arabie saoudite samedi dernier.",
         "samedi dernier", "2016-01-02", kind="weekday"),
    case("fr/003_la-coree-du-nord-annonce-avoir-tire-un-nouveau-missile-balis.txt",
         "Après avoir fait exploser, mercredi 6 janvier, une bombe à hydrogène",
         "mercredi 6 janvier", "2016-01-06"),
    case("fr/003_la-coree-du-nord-annonce-avoir-tire-un-nouveau-missile-balis.txt",
         "effectué en décembre en mer du Japon", "décembre", "2015-12", 3, "month"),
    case("fr/003_la-coree-du-nord-annonce-avoir-tire-un-nouveau-missile-balis.txt",
         "illégalement depuis mai 2015, date à laquelle", "mai 2015", "2015-05", 3, "month"),
    case("fr/004_indonesie-l-organisation-etat-islamique-revendique-les-attaq.txt",
         "se serait produite vers 10h50 (heure locale) en centre-ville",
         "10h50 (heure locale)", "2016-01-14", kind="clock"),
    case("fr/005_burkina-faso-tirs-et-explosions-dans-la-capitale.txt",
         "ce vendredi vers 19 h 30 (UTC).", "ce vendredi vers 19 h 30 (UTC)", "2016-01-15",
         kind="weekday", time="2016-01-15T19:30:00Z"),
    case("fr/005_burkina-faso-tirs-et-explosions-dans-la-capitale.txt",
         "ont annoncé la fin des opérations samedi en fin de matinée.",
         "samedi en fin de matinée", "2016-01-09", kind="weekday"),
    case("fr/006_le-donbass-a-la-croisee-des-chemins.txt",
         "normalement prévues avant fin février 2016, le rétablissement",
         "fin février 2016", "2016-02-21", 2, "month", end="2016-02-29"),
    case("fr/006_le-donbass-a-la-croisee-des-chemins.txt",
         "Le 30 décembre 2015, les accords de Minsk", "30 décembre 2015", "2015-12-30"),
    case("fr/011_belgique-des-attentats-suicides-frappent-bruxelles.txt",
         "22 mars 2016 . – Les premières explosions se sont produites à l' aéroport de Bruxelles "
         "juste avant 8 h et une troisième au niveau de la station de métro de Maelbeek, rue de "
         "la Loi, à 9 h 11 (heure locale, 8 h 11 GMT).", "8 h 11 GMT", "2016-03-22",
         kind="clock", time="2016-03-22T08:11:00Z"),  # the dateline's day, not publication's
    case("fr/014_attentat-suicide-a-l-aeroport-d-istanbul.txt",
         "en Turquie à 22 heures locales.", "22 heures locales", "2016-06-28", kind="clock"),
    case("fr/016_france-un-camion-fonce-sur-la-foule-a-nice.txt",
         "Peu après 22 heures 30, heure locale, un camion a foncé",
         "22 heures 30, heure locale", "2016-07-14", kind="clock"),
    case("fr/016_france-un-camion-fonce-sur-la-foule-a-nice.txt",
         "A 10 heures 32, ce vendredi 15 juillet 2016, le Premier ministre",
         "vendredi 15 juillet 2016", "2016-07-15"),
    case("fr/016_france-un-camion-fonce-sur-la-foule-a-nice.txt",
         "ont été hospitalisés depuis jeudi soir.", "jeudi soir", "2016-07-14", kind="weekday"),
    case("fr/020_la-coree-du-nord-procede-a-un-tir-de-missile-depuis-un-sous.txt",
         "23 août 2016, 21 h 47 UTC . –", "23 août 2016, 21 h 47 UTC", "2016-08-23",
         time="2016-08-23T21:47:00Z"),
    case("fr/020_la-coree-du-nord-procede-a-un-tir-de-missile-depuis-un-sous.txt",
         "une tentative de tir le mois dernier, qui avait échoué",
         "le mois dernier", "2016-07", 3, "relative"),
    case("fr/022_somalie-au-moins-5-morts-dans-un-attentat-a-la-voiture-piege.txt",
         "l'élection du nouveau président du pays le 30 octobre prochain.",
         "30 octobre prochain", "2016-10-30"),
    case("fr/023_mort-du-porte-parole-de-l-etat-islamique-a-alep.txt",
         "appelé aux massacres des français en 2014 et en mai dernier a été tué.",
         "mai dernier", "2016-05", 3, "month"),
    case("fr/024_gabon-violences-suite-a-la-reelection-d-ali-bongo.txt",
         "des violences ont eu lieu dans la nuit du mercredi 31 août et du jeudi 1 er septembre .",
         "mercredi 31 août et du jeudi 1 er septembre", "2016-08-31", kind="range",
         end="2016-09-01"),
    case("fr/025_france-arrestation-d-un-adolescent-preparant-des-attaques-ji.txt",
         "le nombre de djihadistes arrêtés cette semaine à trois.",
         "cette semaine", "2016-09-12", 2, "relative", end="2016-09-18"),
    case("fr/029_burundi-deux-journalistes-arretes-arbitrairement-hier-a-buju.txt",
         "deux journalistes ont été arrêtés hier sans raison.", "hier", "2016-10-23",
         kind="relative"),
    case("fr/033_burundi-la-fidh-alerte-l-opinion-internationale-sur-le-risqu.txt",
         "a lancé hier 15 novembre une campagne internationale", "hier 15 novembre", "2016-11-15"),
    case("fr/036_l-armee-syrienne-entre-succes-et-revers.txt",
         "Le 8 décembre, un grand nombre de combattants de Daech lancent une offensive surprise, "
         "prenant des points stratégiques autours de la ville, des champs de pétrole et gaz et des "
         "silos à grain. La coalition menée par les États-Unis en profite alors pour frapper des "
         "camions citernes de Daech qui se dirigeaient vers les réserves d’essence capturée, en "
         "détruisant plus d'une centaine. Le lendemain, Daech continue",
         "Le lendemain", "2016-12-09", kind="relative"),
    case("fr/036_l-armee-syrienne-entre-succes-et-revers.txt",
         "établir un siège solide mi-novembre.", "mi-novembre", "2016-11-11", 2, "month",
         end="2016-11-20"),
    case("fr/039_turquie-attentat-a-la-voiture-piegee-contre-un-bus-de-l-arme.txt",
         "55 blessées à 5 h 45 UTC lorsqu'une voiture", "5 h 45 UTC", "2016-12-17", kind="clock",
         time="2016-12-17T05:45:00Z"),
    case("fr/043_syrie-daech-recule-autour-de-raqqa.txt",
         "l’organisation réussit à la mi-décembre une autre offensive",
         "à la mi-décembre", "2016-12-11", 2, "month", end="2016-12-20"),
    case("fr/046_des-dizaines-de-morts-dans-l-attaque-d-une-boite-de-nuit-a-i.txt",
         "1er janvier 2017, 1 h 30 UTC+3 . –", "1er janvier 2017, 1 h 30 UTC+3", "2017-01-01",
         time="2016-12-31T22:30:00Z"),
    case("fr/046_des-dizaines-de-morts-dans-l-attaque-d-une-boite-de-nuit-a-i.txt",
         "avait fait 44 morts trois semaines plus tôt dans le centre",
         "trois semaines plus tôt", "2016-12-11", 2, "relative"),
    case("fr/047_israel-un-attentat-a-jerusalem-fait-quatre-morts.txt",
         "respectivement les 14 juillet et 19 décembre derniers.",
         "19 décembre derniers", "2016-12-19"),
    case("fr/048_bresil-des-emeutes-dans-des-prisons-font-une-centaine-de-mor.txt",
         "Dans la nuit du 1er au 2 janvier, des détenus", "1er au 2 janvier", "2017-01-01",
         kind="range", end="2017-01-02"),
    case("fr/051_pologne-le-premier-ministre-beata-szydo-accueille-les-troupe.txt",
         "Il prend le pouvoir ce mois-ci.", "ce mois-ci", "2017-01", 3, "relative"),
    case("fr/051_pologne-le-premier-ministre-beata-szydo-accueille-les-troupe.txt",
         "à Varsovie l'année dernière.", "l'année dernière", "2016", 3, "relative"),
    case("fr/051_pologne-le-premier-ministre-beata-szydo-accueille-les-troupe.txt",
         "un rapport de la CIA publié deux semaines plus tôt qui a conclu",
         "deux semaines plus tôt", "2017-01-07", 2, "relative"),
    case("fr/053_yemen-des-membres-dal-qaida-tues-par-des-tirs-de-drones.txt",
         "Ce dimanche, au Yémen ,", "Ce dimanche", "2017-01-22", kind="weekday"),
    case("fr/058_expulse-d-al-bab-daech-perd-le-nord-de-la-syrie.txt",
         "Hier 23 février, les rebelles", "Hier 23 février", "2017-02-23"),
    case("fr/059_cameroun-liberation-de-5-000-otages-de-boko-haram.txt",
         "dans les monts Mandara du 26 février au 7 mars, 21 de ses membres",
         "26 février au 7 mars", "2017-02-26", 3, "range", end="2017-03-07"),
    case("fr/060_boko-haram-dement-la-liberation-des-5-000-otages.txt",
         "avait annoncé le Cameroun mercredi dernier.", "mercredi dernier", "2017-03-15",
         kind="weekday"),
    case("fr/062_un-francais-enleve-au-tchad.txt",
         "remonte au 9 novembre 2009. Il s'agissait de Laurent Meurice, agronome travaillant pour "
         "le CICR , kidnappé dans l’est du pays par un groupe soudanais du Darfour baptisé les « "
         "Aigles de libération de l’Afrique », avant d'être libéré 89 jours plus tard",
         "89 jours plus tard", "2010-02-06", kind="relative"),
    case("fr/062_un-francais-enleve-au-tchad.txt",
         "Un Français a été enlevé tôt ce jeudi au Tchad", "ce jeudi", "2017-03-23",
         kind="weekday"),
    case("fr/066_les-etats-unis-bombardent-une-base-syrienne.txt",
         "le début de la guerre civile en Syrie, il y a 6 ans, les États-Unis",
         "il y a 6 ans", "2011", 3, "relative"),
    case("fr/066_les-etats-unis-bombardent-une-base-syrienne.txt",
         "de l’attaque chimique de mardi . « Ce soir, j'ai ordonné", "mardi", "2017-04-04",
         kind="weekday"),
    case("fr/067_guyane-incidents-en-marge-d-un-rassemblement.txt",
         "a été gravement blessé hier au soir, en Guyane", "hier au soir", "2017-04-07",
         kind="relative"),
    case("fr/068_egypte-deux-eglises-coptes-visees-par-des-attentats.txt",
         "Ce dimanche 9 avril, peu avant 10 heures, une première",
         "dimanche 9 avril, peu avant 10 heures", "2017-04-09"),
    case("fr/068_egypte-deux-eglises-coptes-visees-par-des-attentats.txt",
         "qui doit recevoir la visite du pape les 28 et 29 avril prochains.",
         "28 et 29 avril prochains", "2017-04-28", kind="range", end="2017-04-29"),
    case("fr/068_egypte-deux-eglises-coptes-visees-par-des-attentats.txt",
         "remonte au 11 décembre dernier, quand un attentat", "11 décembre dernier", "2016-12-11"),
    case("fr/072_france-un-policier-tue-dans-un-attentat-sur-l-avenue-des-cha.txt",
         "Karim Cheurfi, 39 ans (né le 31 décembre 1977), est tué",
         "31 décembre 1977", "1977-12-31"),
    case("fr/072_france-un-policier-tue-dans-un-attentat-sur-l-avenue-des-cha.txt",
         "allait avoir 38 ans le 4 mai.", "4 mai", "2017-05-04"),
    case("fr/073_angleterre-attentats-a-londres.txt",
         "dans la nuit du samedi 3 au dimanche 4 juin.", "samedi 3 au dimanche 4 juin",
         "2017-06-03", kind="range", end="2017-06-04"),
    case("fr/074_asie-divers-pays-arabes-rompent-leurs-relations-diplomatique.txt",
         "Dans la nuit du dimanche, l' Arabie Saoudite", "Dans la nuit du dimanche", "2017-06-04",
         kind="weekday"),
    case("fr/078_le-kurdistan-irakien-vers-l-independance.txt",
         "Toutefois, demain les pressions", "demain", "2017-09-29", kind="relative"),
    case("fr/080_ukraine-les-negociations-de-paix-toujours-au-point-mort.txt",
         "Le conflit oppose depuis avril 2014 l'armée", "avril 2014", "2014-04", 3, "month"),
    case("fr/082_l-armee-irakienne-domine-kirkouk.txt",
         "La nuit dernière, l'armée irakienne", "La nuit dernière", "2017-10-15",
         kind="relative", end="2017-10-16"),
    case("fr/085_zimbabwe-l-armee-prend-le-controle-de-la-capitale.txt",
         "Dans la nuit de mardi à mercredi, l'armée du Zimbabwe",
         "Dans la nuit de mardi à mercredi", "2017-11-14", kind="range", end="2017-11-15"),
    case("fr/088_colombie-la-farc-se-retire-de-la-campagne-presidentielle.txt",
         "l'élection présidentielle prévue en mai, a déclaré ce jeudi 8 mars le parti.",
         "mai", "2018-05", 3, "month"),
    case("fr/091_union-europeenne-l-ambassadeur-en-russie-est-rappele.txt",
         "Conseil européen des 22 et 23 mars 2018 , les 28 États", "22 et 23 mars 2018",
         "2018-03-22", kind="range", end="2018-03-23"),
    case("fr/091_union-europeenne-l-ambassadeur-en-russie-est-rappele.txt",
         "La semaine dernière, le Royaume-Uni", "La semaine dernière", "2018-03-12", 2,
         "relative", end="2018-03-18"),
    case("fr/092_l-ancien-president-catalan-carles-puigdemont-arrete-en-allem.txt",
         "À 9 h 19 UTC , à la frontière", "9 h 19 UTC", "2018-03-25", kind="clock",
         time="2018-03-25T09:19:00Z"),
    case("fr/094_mali-attaque-a-tombouctou-sur-minusma-et-l-operation-barkhan.txt",
         "Samedi après-midi, à Tombouctou", "Samedi après-midi", "2018-04-14", kind="weekday"),
    case("fr/097_birmanie-la-cour-penale-internationale-donne-jusqu-au-27-jui.txt",
         "la Cour pénale internationale donne jusqu'au 27 juillet pour répondre",
         "27 juillet", "2018-07-27"),
    case("fr/098_france-un-collaborateur-de-l-elysee-accuse-de-violences-lors.txt",
         "maintien de l'ordre prévues pour le 1er-Mai.", "1er-Mai", "2018-05-01"),
    case("fr/103_l-auteur-de-l-attentat-a-strasbourg-est-toujours-en-fuite.txt",
         "l'attentat de mardi soir sur le", "mardi soir", "2018-12-11", kind="weekday"),
    # --- English ------------------------------------------------------------------------------
    case("en/001_chinese-submarine-enters-japanese-waters.txt",
         "were strained last week when a Chinese nuclear-powered submarine", "last week",
         "2004-11-08", 2, "relative", end="2004-11-14"),
    case("en/001_chinese-submarine-enters-japanese-waters.txt",
         "The intrusion occurred on 10 November, Japanese time (UTC+9).",
         "10 November", "2004-11-10"),
    case("en/002_sudanese-parties-sign-peace-pledge.txt",
         "be signed no later than December 31st 2004.", "December 31st 2004", "2004-12-31"),
    case("en/003_us-president-bush-visits-canada.txt",
         "the welcome he received Tuesday morning.", "Tuesday morning", "2004-11-30",
         kind="weekday"),
    case("en/003_us-president-bush-visits-canada.txt",
         "the hospitality shown by Canadians on September 11, 2001, when",
         "September 11, 2001", "2001-09-11"),
    case("en/008_latin-american-drug-dealer-beira-mar-s-lawyers-arrested.txt",
         "Colombian army at April 20-21, 2001, in a", "April 20-21, 2001", "2001-04-20",
         kind="range", end="2001-04-21"),  # no publication date: a dated range still resolves
    case("en/010_sharon-considered-temporary-israeli-coup-in-1967.txt",
         "On May 28th, he advised the", "May 28th", None),  # no publication date, no year
    case("en/016_police-deactivate-explosive-device-in-andalucia-spain.txt",
         "was set to explode at 13:30 on Monday, December 6, a national holiday",
         "13:30 on Monday, December 6", "2004-12-06"),
    case("en/017_vanuatu-pm-accused-of-assaulting-envoy.txt",
         "the parliamentary session ended last Wednesday (December 1).",
         "last Wednesday", "2004-12-01", kind="weekday"),
    case("en/019_cuba-erects-billboards-depicting-abu-ghraib-prisoners-and-sw.txt",
         "Cuban dissidents jailed last year by", "last year", "2003", 3, "relative"),
    case("en/020_pinochet-arrested-after-supreme-court-ruling.txt",
         "a stroke he suffered in late December.", "late December", "2004-12-21", 2, "month",
         end="2004-12-31"),
    case("en/020_pinochet-arrested-after-supreme-court-ruling.txt",
         "ruled Chile from 1973 until 1990, gaining power", "1990", "1990", 3, "year"),
    case("en/022_maoists-in-nepal-declare-three-month-ceasefire.txt",
         "a three-month ceasefire from Thursday onward saying", "Thursday", "2006-04-27",
         kind="weekday"),
    case("en/023_deadly-clashes-in-somalia-between-police-and-government-troo.txt",
         "The clashes began yesterday in the Hamarjajab", "yesterday", "2010-06-13",
         kind="relative"),
    case("en/024_arrest-made-as-mayor-of-gdansk-poland-stabbed-on-stage.txt",
         "was stabbed last night whilst on stage", "last night", "2019-01-13", kind="relative",
         end="2019-01-14"),
    case("en/025_germany-bans-mahan-air-of-iran-citing-security.txt",
         "Germany on Monday banned Iranian airline Mahan Air", "Monday", "2019-01-21",
         kind="weekday"),
    case("en/026_car-bomb-ramming-attack-kills-dozens-at-military-base-in-mai.txt",
         "since an assault in Ghazni in August 2018, with officials", "August 2018", "2018-08",
         3, "month"),
    case("en/030_thousands-march-in-anti-brexit-protest-london.txt",
         "people marched in London on Saturday during an anti-Brexit", "Saturday", "2019-03-23",
         kind="weekday"),
    case("en/031_hong-kong-protesters-surround-downtown-police-complex.txt",
         "The bill was suspended after last week's protests", "last week", "2019-06-10", 2,
         "relative", end="2019-06-16"),
    case("en/034_puerto-rico-governor-announces-resignation-following-protest.txt",
         "announced his resignation shortly before midnight Wednesday night in an internet video",
         "midnight Wednesday night", "2019-07-24", kind="weekday"),
    case("en/034_puerto-rico-governor-announces-resignation-following-protest.txt",
         "he is to leave office next month on August 2 at 5 p.m. local time (2100 UTC).",
         "August 2 at 5 p.m. local time (2100 UTC)", "2019-08-02",
         time="2019-08-02T21:00:00Z"),
    case("en/034_puerto-rico-governor-announces-resignation-following-protest.txt",
         "he is to leave office next month on August 2", "next month", "2019-08", 3,
         "relative"),
    case("en/036_hong-kong-protests-continue-through-police-opposition-rainst.txt",
         "have been protesting since early June, when their", "early June", "2019-06-01", 2,
         "month", end="2019-06-10"),
    case("en/036_hong-kong-protests-continue-through-police-opposition-rainst.txt",
         "Tin Hau early yesterday afternoon and walked", "yesterday afternoon", "2019-08-18",
         kind="relative"),
    case("en/038_oil-facilities-in-saudi-arabia-hit-by-drone-attacks.txt",
         "Yesterday, oil facilities belonging to Saudi Arabia's state-owned Saudi Aramco were hit "
         "by multiple drone strikes in a pre-dawn raid. […] According to the Saudi Press Agency, "
         "the attacks occurred at 4:00 A.M. local time (0100 UTC) and struck",
         "4:00 A.M. local time (0100 UTC)", "2019-09-14", kind="clock",
         time="2019-09-14T01:00:00Z"),
    case("en/039_us-president-trump-says-osama-bin-laden-s-son-killed.txt",
         "previously in the news at the end of July based on", "the end of July", "2019-07-21",
         2, "month", end="2019-07-31"),
    case("en/039_us-president-trump-says-osama-bin-laden-s-son-killed.txt",
         "On July 31, multiple news outlets reported Hamza bin Laden to be dead citing sources "
         "within the United States Department of Defense. […] The press asked Trump about it that "
         "same day, but", "that same day", "2019-07-31", kind="relative"),
    case("en/040_iran-s-president-rouhani-tells-foreign-powers-to-leave-persi.txt",
         "the United Nations General Assembly is set to open tomorrow.", "tomorrow",
         "2019-09-24", kind="relative"),
    case("en/041_fiancee-of-murdered-saudi-journalist-demands-justice-at-un-g.txt",
         "Khashoggi was murdered last October in the Saudi consulate", "last October",
         "2018-10", 3, "month"),
    case("en/044_us-president-trump-announces-troop-withdrawal-from-syria.txt",
         "Late on Sunday, the United States", "Sunday", "2019-10-06", kind="weekday"),
    case("en/045_uk-urges-us-to-waive-immunity-for-diplomat-s-wife-involved-i.txt",
         "The crash happened around 8:30 p.m. BST (1930 UTC) on August 27.",
         "8:30 p.m. BST (1930 UTC) on August 27", "2019-08-27", time="2019-08-27T19:30:00Z"),
    case("en/047_kurds-announce-deal-with-assad-s-government-as-turkey-invade.txt",
         "Also on Sunday, the United States announced a complete withdrawal from the region, "
         'beyond the withdrawal from the "immediate area" first announced seven days earlier on '
         "October 6.", "seven days earlier", "2019-10-06", kind="relative"),
    case("en/048_hong-kong-s-carrie-lam-delivers-speech-on-video-after-protes.txt",
         "In mid-August, the government", "mid-August", "2019-08-11", 2, "month",
         end="2019-08-20"),
    case("en/049_us-announces-restrictions-on-flying-to-cuba.txt",
         "which is to take effect on December 10, prohibits all", "December 10", "2019-12-10"),
    case("en/050_coalition-authorities-report-no-casualties-from-missile-stri.txt",
         "U.S. troops left Iraq in 2011, then at the Iraqi government's request returned three "
         "years later.", "three years later", "2014", 3, "relative"),
    case("en/051_bystanders-foil-knife-weilding-man-on-london-bridge-with-fir.txt",
         "had been released a year ago on the", "a year ago", "2018", 3, "relative"),
    case("en/052_united-states-military-kills-qasem-soleimani.txt",
         "pointing to the December 31 attack on the", "December 31", "2019-12-31"),
    case("en/052_united-states-military-kills-qasem-soleimani.txt",
         "Last April, the United States", "Last April", "2019-04", 3, "month"),
    case("en/054_stampede-during-funeral-procession-of-qasem-soleimani-causes.txt",
         "General Qasem Soleimani on Tuesday, a stampede erupted", "Tuesday", "2020-01-07",
         kind="weekday"),
    case("en/055_greek-prime-minister-reaffirms-eastmed-pipeline-project-is-o.txt",
         "to construct the EastMed pipeline by 2025.", "2025", "2025", 3, "year"),
    case("en/055_greek-prime-minister-reaffirms-eastmed-pipeline-project-is-o.txt",
         "meeting of EastMed countries on March 20 last year.", "March 20", "2019-03-20"),
    case("en/055_greek-prime-minister-reaffirms-eastmed-pipeline-project-is-o.txt",
         "is to be completed by December 2023.", "December 2023", "2023-12", 3, "month"),
    case("en/057_iran-admits-downing-ukrainian-jet-cites-human-error.txt",
         "On Saturday morning, representatives from Iran", "Saturday morning", "2020-01-11",
         kind="weekday"),
    case("en/058_police-shoot-man-dead-after-terrorist-related-knife-attack-i.txt",
         "released from prison a week ago.", "a week ago", "2020-01-29", 2, "relative"),
    case("en/060_three-killed-three-others-injured-in-stabbing-attack-in-read.txt",
         "On Saturday evening in Forbury Gardens in Reading, Berkshire, UK shortly before 19:00 "
         "local time (1800 UTC), a mass stabbing", "19:00 local time (1800 UTC)", "2020-06-20",
         kind="clock", time="2020-06-20T18:00:00Z"),
    case("en/062_serbian-protesters-try-to-storm-parliament-fourth-day-of-pro.txt",
         "Friday night was the fourth night in a row", "Friday night", "2020-07-10",
         kind="weekday"),
    case("en/063_belarussian-opposition-presidential-candidate-sviatlana-tsik.txt",
         "presidential election to be held on August 9, held a rally", "August 9", "2020-08-09"),
    case("en/064_germany-says-alexei-navalny-poisoned-with-novichok.txt",
         "Last month, Alexei Navalny was airlifted", "Last month", "2020-08", 3, "relative"),
    case("en/067_conservative-groups-hold-rally-in-washington-d-c-claiming-u.txt",
         "gathered on Saturday in the U.S. capital, Washington D.C., for a rally organized by "
         "Women for America First.  Reportedly several thousand supporters turned out, with Trump "
         "flags and hats, in D.C. to protest, some in front of the Supreme Court of the United "
         "States, which rejected, the day before the rally, a lawsuit",
         "the day before", "2020-12-11", kind="relative"),
]  # fmt: skip

#: Real sentences with numbers, names and titles that are not time expressions.
NOT_TIMES = [
    ("fr/102_gilets-jaunes-samedi-8-decembre-2018.txt",
     "Un photographe du JDD (Journal du Dimanche) a été frappé par un CRS"),
    ("fr/102_gilets-jaunes-samedi-8-decembre-2018.txt",
     "près de 2 000 interpellations, et 1 709 gardes à vue."),
    ("en/030_thousands-march-in-anti-brexit-protest-london.txt",
     "called Prime Minister Theresa May's proposed Brexit deal"),
    ("en/055_greek-prime-minister-reaffirms-eastmed-pipeline-project-is-o.txt",
     "the 2000 km long pipeline"),
    ("en/062_serbian-protesters-try-to-storm-parliament-fourth-day-of-pro.txt",
     "the protest started out against the government's anti-COVID-19 measures"),
]  # fmt: skip


def _check_spans(text: str, refs: list[TimeRef]) -> None:
    for ref in refs:
        assert ref.text == text[ref.start : ref.end]
    for a, b in pairwise(refs):
        assert a.end <= b.start, f"overlapping expressions {a.text!r} and {b.text!r}"


def test_the_table_is_large_enough() -> None:
    assert len(CASES) >= 60
    assert {c.values[0][:2] for c in CASES} == {"fr", "en"}


@pytest.mark.parametrize(
    ("file", "fragment", "span", "value", "precision", "kind", "time", "end"), CASES
)
def test_corpus_sentence(
    file: str,
    fragment: str,
    span: str,
    value: str | None,
    precision: int,
    kind: str,
    time: str | None,
    end: str | None,
) -> None:
    article = (CORPUS / file).read_text(encoding="utf-8")
    assert _quoted(fragment, article), "the quote must be in the article"
    refs = find_times(fragment, file[:2], _published(file))
    _check_spans(fragment, refs)
    found = [r for r in refs if r.text == span]
    assert found, f"{span!r} not found in {[r.text for r in refs]}"
    ref = found[-1]
    assert (ref.date, ref.precision, ref.kind, ref.time, ref.end_date) == (
        value,
        precision,
        kind,
        time,
        end,
    )


@pytest.mark.parametrize(("file", "fragment"), NOT_TIMES)
def test_corpus_sentence_without_time(file: str, fragment: str) -> None:
    article = (CORPUS / file).read_text(encoding="utf-8")
    assert _quoted(fragment, article)
    assert find_times(fragment, file[:2], _published(file)) == []


# --- the seed article (Tuesday 13 September 2022) -----------------------------------------------


def _seed_refs(seed_raw: str) -> dict[str, TimeRef]:
    refs = find_times(seed_raw, "fr", SEED_PUBLISHED)
    _check_spans(seed_raw, refs)
    return {r.text: r for r in refs}


def test_seed_weekdays_are_the_days_of_that_week(seed_raw: str) -> None:
    refs = _seed_refs(seed_raw)
    # dateparser alone says the Tuesday before for "mardi", and nothing for "lundi soir"
    assert refs["mardi"].date == "2022-09-13"
    assert refs["Mardi matin"].date == "2022-09-13"
    assert (refs["Lundi soir"].date, refs["Lundi soir"].kind) == ("2022-09-12", "weekday")
    assert refs["Lundi"].date == "2022-09-12"


def test_seed_moscow_time_is_converted_to_utc(seed_raw: str) -> None:
    ref = _seed_refs(seed_raw)["9h00, heure de Moscou, en septembre 13"]
    assert (ref.date, ref.time, ref.precision) == ("2022-09-13", "2022-09-13T06:00:00Z", 1)


def test_seed_early_november_is_a_part_of_a_month(seed_raw: str) -> None:
    ref = _seed_refs(seed_raw)["début novembre 2020"]
    assert (ref.date, ref.end_date, ref.precision, ref.kind) == (
        "2020-11-01",
        "2020-11-10",
        2,
        "month",
    )


def test_seed_list_of_dates_shares_its_year(seed_raw: str) -> None:
    refs = _seed_refs(seed_raw)
    assert refs["9 novembre 2020"].date == "2020-11-09"
    assert refs["11 janvier"].date == "2021-01-11"  # "du 11 janvier et du 26 novembre 2021"
    assert refs["26 novembre 2021"].date == "2021-11-26"
    assert (refs["1997"].date, refs["1997"].kind, refs["1997"].precision) == ("1997", "year", 3)


def test_seed_counts_are_not_years(seed_raw: str) -> None:
    texts = {r.text for r in find_times(seed_raw, "fr", SEED_PUBLISHED)}
    assert not any("6 500" in t or t == "500" for t in texts)


# --- behaviours named in the issue --------------------------------------------------------------


def _one(text: str, language: str, published: date | None = SEED_PUBLISHED) -> TimeRef:
    refs = find_times(text, language, published)
    assert len(refs) == 1, refs
    return refs[0]


@pytest.mark.parametrize(
    ("text", "language", "span", "value", "end"),
    [
        ("Dans la nuit de lundi à mardi, des tirs", "fr", "Dans la nuit de lundi à mardi",
         "2022-09-12", "2022-09-13"),
        ("Overnight Monday into Tuesday, shells fell", "en", "Overnight Monday into Tuesday",
         "2022-09-12", "2022-09-13"),
        ("Les combats de dimanche dernier", "fr", "dimanche dernier", "2022-09-11", None),
        ("Fighting resumed last Sunday.", "en", "last Sunday", "2022-09-11", None),
        ("Shelling began on Monday night.", "en", "Monday night", "2022-09-12", None),
        ("Le vote aura lieu mardi prochain.", "fr", "mardi prochain", "2022-09-20", None),
    ],
)  # fmt: skip
def test_weekday_forms(text: str, language: str, span: str, value: str, end: str | None) -> None:
    ref = _one(text, language)
    assert (ref.text, ref.date, ref.end_date) == (span, value, end)


@pytest.mark.parametrize(
    ("text", "language", "value"),
    [
        ("le 13 septembre 2022", "fr", "2022-09-13"),
        ("le 13 septembre", "fr", "2022-09-13"),
        ("en septembre 13", "fr", "2022-09-13"),
        ("on September 13, 2022", "en", "2022-09-13"),
        ("on 13 Sept. the army", "en", "2022-09-13"),
        ("le 1er janvier", "fr", "2022-01-01"),
        ("le 2022-09-13", "fr", "2022-09-13"),
        ("le 13/09/2022", "fr", "2022-09-13"),
        ("on 09/13/2022", "en", "2022-09-13"),  # month first only when the day cannot be
        ("on 03/04/2022", "en", "2022-04-03"),  # ambiguous: day first, as in en-GB
        ("le 28 décembre", "fr", "2021-12-28"),  # at or before publication
    ],
)
def test_absolute_dates(text: str, language: str, value: str) -> None:
    ref = _one(text, language)
    assert (ref.date, ref.precision, ref.kind) == (value, 1, "absolute")


@pytest.mark.parametrize(
    ("text", "language", "span", "value", "precision", "kind"),
    [
        ("en novembre 2020", "fr", "novembre 2020", "2020-11", 3, "month"),
        ("in 2020", "en", "2020", "2020", 3, "year"),
        ("la semaine dernière", "fr", "la semaine dernière", "2022-09-05", 2, "relative"),
        ("last week", "en", "last week", "2022-09-05", 2, "relative"),
        ("hier", "fr", "hier", "2022-09-12", 1, "relative"),
        ("avant-hier", "fr", "avant-hier", "2022-09-11", 1, "relative"),
        ("aujourd'hui", "fr", "aujourd'hui", "2022-09-13", 1, "relative"),
        ("ce matin", "fr", "ce matin", "2022-09-13", 1, "relative"),
        ("yesterday", "en", "yesterday", "2022-09-12", 1, "relative"),
        ("today", "en", "today", "2022-09-13", 1, "relative"),
        ("il y a deux jours", "fr", "il y a deux jours", "2022-09-11", 1, "relative"),
        ("two days ago", "en", "two days ago", "2022-09-11", 1, "relative"),
        ("the day before", "en", "the day before", "2022-09-12", 1, "relative"),
    ],
)
def test_periods_and_relative_words(
    text: str, language: str, span: str, value: str, precision: int, kind: str
) -> None:
    ref = _one(text, language)
    assert (ref.text, ref.date, ref.precision, ref.kind) == (span, value, precision, kind)


def test_anchored_words_count_from_the_last_day_mentioned() -> None:
    text = "Le 3 septembre, l'armée a attaqué. Le lendemain, elle a reculé; trois jours plus tard"
    refs = find_times(text, "fr", SEED_PUBLISHED)
    assert [(r.text, r.date) for r in refs] == [
        ("3 septembre", "2022-09-03"), ("Le lendemain", "2022-09-04"),
        ("trois jours plus tard", "2022-09-07"),
    ]  # fmt: skip
    before = find_times("On September 3, troops attacked; the day before, talks", "en", None)
    assert [(r.text, r.date) for r in before] == [("September 3", None), ("the day before", None)]
    assert _one("The next day, troops withdrew.", "en").date is None  # no anchor: unknown


def test_clock_times_and_zones() -> None:
    ref = _one("mardi à 9h00, heure de Moscou", "fr")
    assert (ref.text, ref.date, ref.time) == ("mardi à 9h00, heure de Moscou", "2022-09-13",
                                              "2022-09-13T06:00:00Z")  # fmt: skip
    ref = _one("on Tuesday at 9 a.m. Moscow time", "en")
    assert (ref.date, ref.time) == ("2022-09-13", "2022-09-13T06:00:00Z")
    ref = _one("à 14h30 GMT", "fr")
    assert ref.time == "2022-09-13T14:30:00Z"
    ref = _one("à 00h00 (heure locale)", "fr")
    assert (ref.text, ref.date, ref.time) == ("00h00 (heure locale)", "2022-09-13", None)
    # Paris is UTC+2 in summer and UTC+1 in winter: zones follow daylight saving
    assert _one("le 14 juillet 2022 à 14h30, heure de Paris", "fr").time == "2022-07-14T12:30:00Z"
    assert _one("le 14 janvier 2022 à 14h30, heure de Paris", "fr").time == "2022-01-14T13:30:00Z"


def test_without_publication_only_dated_expressions_resolve() -> None:
    text = "Le 13 septembre 2022, puis mardi soir et hier, enfin en 2020 et le 4 mai."
    refs = {r.text: r for r in find_times(text, "fr", None)}
    assert refs["13 septembre 2022"].date == "2022-09-13"
    assert refs["2020"].date == "2020"
    assert (refs["mardi soir"].date, refs["mardi soir"].kind) == (None, "weekday")
    assert (refs["hier"].date, refs["hier"].kind) == (None, "relative")
    assert (refs["4 mai"].date, refs["4 mai"].kind) == (None, "absolute")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("La sonde a photographié Mars.", "fr"),  # the planet, capitalised without a day
        ("Officials may meet again.", "en"),  # a modal verb
        ("The Sunday Times reported the strike.", "en"),  # a title
        ("Les marches du Women's March ont rassemblé 2020 personnes.", "fr"),
        ("Le variant COVID-2020 circule.", "fr"),
        ("Il a marché 24 heures.", "fr"),  # a duration
        ("6 500 personnes ont été tuées.", "fr"),
    ],
)
def test_false_positives(text: str, language: str) -> None:
    assert find_times(text, language, SEED_PUBLISHED) == []


def test_months_that_are_words_need_a_number_or_a_preposition() -> None:
    assert _one("le 3 Mars 2021", "fr").date == "2021-03-03"
    assert _one("In May, the talks failed.", "en").date == "2022-05"
    assert _one("The treaty of May 5, 1997", "en").date == "1997-05-05"


def test_unknown_language_gives_nothing() -> None:
    assert lexicon("de") is None
    assert find_times("Am Dienstag, 13. September 2022", "de", SEED_PUBLISHED) == []


def test_a_lexicon_word_yaml_reads_as_a_boolean_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "xx.yaml").write_text(
        "months:\n  janvier: 1\nweekdays:\n  lundi: 0\nclock_links:\n  - on\n", encoding="utf-8"
    )
    monkeypatch.setattr(expressions, "LEXICON_DIR", tmp_path)
    with pytest.raises(ConfigError, match="quote it"):
        expressions.lexicon.__wrapped__("xx")  # the uncached loader
