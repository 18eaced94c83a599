#!/usr/bin/env python3
"""gen-names.py - write bench/names.h, the naming pools of the benchmark
generator (bench/gen.c).

Usage: python3 bench/gen-names.py > bench/names.h

Nine groups, each with at least 60 surnames and 60 given names:
Western Balkans (Serbian, Albanian, Bosnian, Macedonian, Montenegrin) and
countries of origin (Afghan, Pakistani, Bangladeshi, Moroccan).  Every name
has its original form (the person's own script: Serbian or Macedonian
Cyrillic, Perso-Arabic, Urdu or Arabic script, or Latin with the language's
own letters) and the Latin form an officer types and a passport's visual
zone shows.  Serbian and Macedonian Latin forms are derived here from the
Cyrillic with the official tables, so the two can never disagree.

Macedonian surnames are written in the masculine; gen.c makes the feminine
(-ски -> -ска, -ов -> -ова, -ев -> -ева, -ин -> -ина).
"""

import sys

# ---- Cyrillic to Latin -------------------------------------------------------

SR = dict(zip(
    "абвгдђежзијклљмнњопрстћуфхцчџш",
    ["a", "b", "v", "g", "d", "đ", "e", "ž", "z", "i", "j", "k", "l", "lj",
     "m", "n", "nj", "o", "p", "r", "s", "t", "ć", "u", "f", "h", "c", "č",
     "dž", "š"]))
MK = dict(zip(
    "абвгдѓежзѕијклљмнњопрстќуфхцчџш",
    ["a", "b", "v", "g", "d", "gj", "e", "zh", "z", "dz", "i", "j", "k", "l",
     "lj", "m", "n", "nj", "o", "p", "r", "s", "t", "kj", "u", "f", "h", "c",
     "ch", "dzh", "sh"]))


def romanise(word, table):
    out = []
    for ch in word:
        low = ch.lower()
        if low in table:
            lat = table[low]
            if ch != low:          # a capital: title case ("Lj", "Dž")
                lat = lat[0].upper() + lat[1:]
            out.append(lat)
        elif ch in " -":
            out.append(ch)
        else:
            raise ValueError("no romanisation for %r in %r" % (ch, word))
    return "".join(out)


def cyr(words, table):
    return [(romanise(w, table), w) for w in words.split()]


def latin(words):
    """Names written in Latin: the original is the same text."""
    return [(w.replace("_", " "), w.replace("_", " ")) for w in words.split()]


def pairs(text):
    """'Latin|original' per line; '_' in the Latin form is a space."""
    out = []
    for line in text.strip().splitlines():
        line = line.strip()
        if not line:
            continue
        lat, nat = line.split("|")
        out.append((lat.strip().replace("_", " "), nat.strip()))
    return out


# ---- Serbian (Cyrillic; Bosnian Serbs and Serbs of Montenegro) ---------------

SERBIAN_SUR = cyr("""
Петровић Јовановић Николић Марковић Ђорђевић Стојановић Илић Станковић
Павловић Милошевић Поповић Томић Ђурић Костић Живковић Лазић Митић Симић
Ристић Обрадовић Коцић Пешић Стефановић Милић Радовановић Вуковић Петковић
Митровић Бојић Тодоровић Савић Филиповић Ивановић Васић Јанковић Марјановић
Степановић Гавриловић Антић Лукић Ђокић Бошковић Радосављевић Младеновић
Станојевић Милановић Матић Маринковић Јовичић Бабић Крстић Ћирић Шарић Ерић
Кнежевић Васиљевић Лазаревић Спасић Мићић Драгић Јеремић Пантић Зорић
Вулетић Љубисављевић Шљивић Жарковић Чолић Жикић Џаковић Његовановић
Трифуновић Ђукић Ћосић
""", SR)
SERBIAN_M = cyr("""
Марко Никола Стефан Лазар Милош Душан Немања Алекса Лука Урош Вук Огњен
Јован Петар Филип Александар Мирослав Драган Зоран Горан Дејан Бојан Слободан
Милан Небојша Дарко Срђан Жељко Предраг Владимир Ненад Иван Бранислав
Живојин Радован Милорад Ђорђе Бранко Миодраг Љубомир Раде Саша Дамјан
""", SR)
SERBIAN_F = cyr("""
Јелена Милица Ана Марија Јована Теодора Драгана Снежана Весна Гордана Биљана
Наташа Ивана Тијана Сања Катарина Мирјана Зорица Љиљана Бојана Невена Софија
Даница Сара Анђела Ксенија Слађана Јасмина Душица Милена
""", SR)

# ---- Macedonian (Cyrillic) -------------------------------------------------

MACEDONIAN_SUR = cyr("""
Стојановски Николовски Трајковски Јовановски Петровски Димитровски Ристовски
Георгиевски Илиевски Костовски Спасовски Митревски Ангеловски Стефановски
Тодоровски Павловски Велковски Атанасовски Андоновски Савевски Наумовски
Цветковски Блажевски Симоновски Кочовски Ѓорѓиевски Зафировски Најдовски
Миловски Арсовски Божиновски Јакимовски Крстевски Лазаревски Мирчевски
Пановски Секуловски Талевски Филиповски Христовски Чаловски Шопов Ѓорѓиев
Иванов Петров Димов Стојанов Трајанов Ефремов Костов Марков Ангелов Јанев
Ташев Митев Ристов Поповски Лековски Гошевски Ѓуровски Дуковски Ивановски
Ќурчиев Жежовски
""", MK)
MACEDONIAN_M = cyr("""
Александар Никола Стефан Марко Горан Дејан Зоран Владимир Благоја Бојан Игор
Јован Томе Трајче Ѓорѓи Илија Кирил Петре Ристе Славче Ацо Дарко Васко Љупчо
Кире Мартин Филип Давид Андреј Христијан Бобан Сашо Тони Живко Борис Методи
Љубомир Наум Тодор Лазар Ѓоко
""", MK)
MACEDONIAN_F = cyr("""
Ана Марија Елена Ивана Марина Сања Билјана Катерина Јасмина Весна Снежана
Гордана Даниела Виолета Емилија Славица Наташа Александра Ангела Софија
Теодора Симона Јана Радмила Татјана Маја Лидија Драгана Милена Благица
Цвета Оливера
""", MK)

# ---- Montenegrin, Bosnian, Albanian (Latin originals) ------------------------

MONTENEGRIN_SUR = latin("""
Vujović Radulović Popović Vuković Vujošević Bulatović Kovačević Perović
Ivanović Mijatović Rakočević Šćepanović Lakić Bojović Radonjić Milić Vučinić
Jovanović Marković Nikolić Petrović Radović Vulević Dragović Knežević Božović
Mugoša Martinović Đurović Raičević Pejović Lekić Vukčević Janjušević Kažić
Krivokapić Vlahović Pavićević Šaranović Vukotić Đurišić Živković Kalezić
Nenezić Bećirović Hadžić Kurpejović Muratović Ramović Camaj Gjokaj Lulgjuraj
Dedvukaj Medojević Mrdak Čelebić Zečević Vujačić Burzan Stanišić Filipović
Đukić Šoć
""")
MONTENEGRIN_M = latin("""
Marko Nikola Vuk Luka Petar Stefan Danilo Balša Vukašin Filip Dušan Milovan
Veselin Vesko Radomir Budimir Predrag Branko Dragan Zoran Goran Miodrag Ranko
Vladimir Igor Savo Blagota Ilija Slavko Mirko Đorđe Andrija Ognjen Lazar
Novak Jovan Aleksa Mehmed Admir Emir Adnan
""")
MONTENEGRIN_F = latin("""
Milica Jelena Ana Marija Sanja Jovana Danijela Ivana Tamara Dragana Vesna
Biljana Snežana Gordana Ljiljana Radmila Mirjana Nevena Anđela Katarina
Teodora Milena Andrea Tijana Kristina Bojana Dijana Jasmina Maja Vanja
""")

BOSNIAN_SUR = latin("""
Hodžić Hadžić Begić Delić Mehmedović Kovačević Softić Omerović Halilović Husić
Imamović Hasanović Ibrahimović Alić Mujić Salihović Šabić Suljić Smajić Karić
Kurtović Ahmetović Bešić Čaušević Dedić Džafić Efendić Fazlić Gušić Hrnjić
Jusić Kadić Kapetanović Lagumdžija Memić Mešić Muminović Mustafić Osmanović
Pašić Ramić Redžić Sejdić Selimović Sinanović Spahić Šehić Tahirović Terzić
Topić Zukić Zulić Avdić Bajrić Burić Ćatić Đulić Hamzić Jašarević Krupić
Muratović Numanović Porobić Rizvanović Salkić Velić Zahirović Žunić
""")
BOSNIAN_M = latin("""
Adnan Amar Armin Edin Emir Haris Kenan Mirza Nedim Tarik Adis Almir Amel
Benjamin Dino Eldar Elvir Faruk Hamza Harun Ismet Jasmin Kemal Mehmed Muhamed
Nermin Omer Samir Senad Safet Sead Vedad Zlatan Alen Damir Dženan Ermin Husein
Mustafa Osman Refik Salih
""")
BOSNIAN_F = latin("""
Amina Lejla Ajla Emina Selma Merima Amra Alma Aida Belma Dženana Edina Elma
Hana Lamija Maida Mirela Nejra Sabina Sanela Azra Fatima Hatidža Jasmina
Medina Nermina Samira Šejla Zehra Adna Ilma
""")

ALBANIAN_SUR = latin("""
Hoxha Shehu Leka Gjoka Kola Marku Prifti Dervishi Çela Hysa Bega Dushku
Kastrati Krasniqi Berisha Gashi Shala Hoti Bytyqi Musliu Rama Meta Duka Basha
Lika Tafa Zeneli Halili Ismaili Ahmeti Rexhepi Jashari Mema Xhafa Qosja
Llazari Nika Pepa Gjini Koci Dema Tola Cani Hasani Alia Sinani Mehmeti Kurti
Dibra Muça Brahimi Zeqiri Ndreu Paloka Gjonaj Lleshi Marashi Bushati Topalli
Veliu Shkurti Bajrami Cenaj Kryeziu Sulejmani Toska Dedja Ymeri
""")
ALBANIAN_M = latin("""
Arben Arjan Besnik Blerim Dritan Edmond Elton Ervin Fatmir Gentian Ilir
Klodian Kristian Luan Marsel Mentor Naim Olsi Petrit Redon Sokol Taulant Valon
Agron Altin Andi Ardit Bledar Endrit Erion Fation Gëzim Ismail Jetmir Kujtim
Lorenc Mirel Nderim Qemal Rexhep Saimir Shkëlqim Tomorr Ylli Xhevdet Artan
Armand Erjon
""")
ALBANIAN_F = latin("""
Anila Arta Besiana Blerina Dorina Elda Elona Enkelejda Ermira Fatjona
Gentiana Ilda Jonida Klea Kristina Lindita Majlinda Mimoza Nertila Orjeta
Rezarta Silvana Teuta Valbona Vjollca Xhensila Ajola Brunilda Dafina Drita
Entela Flutura Greta Lule Manjola
""")

# ---- Afghan (Dari, Perso-Arabic script) --------------------------------------

AFGHAN_SUR = pairs("""
Ahmadzai|احمدزی
Popalzai|پوپلزی
Barakzai|بارکزی
Achakzai|اچکزی
Alokozai|علیکوزی
Durrani|درانی
Stanikzai|ستانکزی
Wardak|وردک
Mohammadi|محمدی
Ahmadi|احمدی
Karimi|کریمی
Rahimi|رحیمی
Hashimi|هاشمی
Hussaini|حسینی
Sadat|سادات
Azizi|عزیزی
Haidari|حیدری
Amiri|امیری
Jalali|جلالی
Rahmani|رحمانی
Safi|صافی
Zazai|زازی
Noori|نوری
Sultani|سلطانی
Habibi|حبیبی
Hakimi|حکیمی
Nazari|نظری
Qaderi|قادری
Rezaei|رضایی
Sharifi|شریفی
Faizi|فیضی
Yousufzai|یوسفزی
Naseri|ناصری
Mangal|منگل
Khan|خان
Shinwari|شینواری
Afridi|آفریدی
Mohmand|مهمند
Kakar|کاکړ
Tokhi|توخی
Hotak|هوتک
Ghilzai|غلزی
Niazi|نیازی
Sherzad|شیرزاد
Samadi|صمدی
Nabizada|نبی‌زاده
Akbari|اکبری
Ebrahimi|ابراهیمی
Mirzaei|میرزایی
Hamidi|حمیدی
Rasuli|رسولی
Saberi|صابری
Salehi|صالحی
Anwari|انوری
Ghafoori|غفوری
Wahidi|وحیدی
Zahiri|ظهیری
Taheri|طاهری
Osmani|عثمانی
Qurbani|قربانی
Jafari|جعفری
Mansoori|منصوری
Farahi|فراهی
Kabuli|کابلی
Herawi|هروی
Panjshiri|پنجشیری
Logari|لوگری
Badakhshi|بدخشی
""")
AFGHAN_M = pairs("""
Mohammad|محمد
Ahmad|احمد
Abdullah|عبدالله
Abdul_Rahman|عبدالرحمن
Ali|علی
Hassan|حسن
Hussain|حسین
Mahmood|محمود
Mustafa|مصطفی
Farid|فرید
Jawad|جواد
Khalid|خالد
Nasir|ناصر
Omid|امید
Rahim|رحیم
Karim|کریم
Sayed|سید
Wahid|وحید
Zabihullah|ذبیح‌الله
Rahmatullah|رحمت‌الله
Hamid|حمید
Jamshid|جمشید
Bilal|بلال
Idris|ادریس
Sohrab|سهراب
Shafiq|شفیق
Rafi|رفیع
Yama|یما
Farhad|فرهاد
Habib|حبیب
Nawid|نوید
Samir|سمیر
Sharif|شریف
Tariq|طارق
Younus|یونس
Zaher|ظاهر
Ajmal|اجمل
Asad|اسد
Bashir|بشیر
Daud|داوود
Esmatullah|عصمت‌الله
Ghulam|غلام
Haroon|هارون
Hekmat|حکمت
Ismail|اسماعیل
Javid|جاوید
Masoud|مسعود
Mirwais|میرویس
Naqib|نقیب
Qasim|قاسم
Rashid|رشید
Shahid|شاهد
Sultan|سلطان
Wali|ولی
Zia|ضیا
""")
AFGHAN_F = pairs("""
Fatima|فاطمه
Maryam|مریم
Zahra|زهرا
Sakina|سکینه
Shabnam|شبنم
Farzana|فرزانه
Nargis|نرگس
Parwana|پروانه
Roya|رویا
Sima|سیما
Soraya|ثریا
Laila|لیلا
Mahbooba|محبوبه
Nasrin|نسرین
Hamida|حمیده
Freshta|فرشته
Gulalai|گلالی
Khadija|خدیجه
Malalai|ملالی
Nilofar|نیلوفر
Parisa|پریسا
Setara|ستاره
Shukria|شکریه
Tahmina|تهمینه
Wahida|وحیده
Zarghona|زرغونه
Marzia|مرضیه
Mursal|مرسل
Benafsha|بنفشه
Homa|هما
""")

# ---- Pakistani (Urdu) ---------------------------------------------------------

PAKISTANI_SUR = pairs("""
Khan|خان
Ahmed|احمد
Ali|علی
Hussain|حسین
Malik|ملک
Butt|بٹ
Chaudhry|چودھری
Raja|راجہ
Qureshi|قریشی
Sheikh|شیخ
Shah|شاہ
Iqbal|اقبال
Akhtar|اختر
Javed|جاوید
Rana|رانا
Mirza|مرزا
Abbasi|عباسی
Awan|اعوان
Bhatti|بھٹی
Cheema|چیمہ
Gondal|گوندل
Warraich|وڑائچ
Bajwa|باجوہ
Gujjar|گجر
Jatt|جٹ
Arain|آرائیں
Siddiqui|صدیقی
Farooqi|فاروقی
Hashmi|ہاشمی
Naqvi|نقوی
Rizvi|رضوی
Zaidi|زیدی
Jafri|جعفری
Kazmi|کاظمی
Gillani|گیلانی
Tarar|تارڑ
Virk|ورک
Sandhu|سندھو
Randhawa|رندھاوا
Sial|سیال
Niazi|نیازی
Yousafzai|یوسفزئی
Afridi|آفریدی
Khattak|خٹک
Durrani|درانی
Baloch|بلوچ
Memon|میمن
Soomro|سومرو
Jamali|جمالی
Leghari|لغاری
Mazari|مزاری
Khokhar|کھوکھر
Dar|ڈار
Lone|لون
Mughal|مغل
Rajput|راجپوت
Ansari|انصاری
Saleem|سلیم
Aslam|اسلم
Rafiq|رفیق
Anwar|انور
Nawaz|نواز
Bashir|بشیر
Pervez|پرویز
""")
PAKISTANI_M = pairs("""
Muhammad|محمد
Ahmed|احمد
Ali|علی
Usman|عثمان
Bilal|بلال
Hamza|حمزہ
Hassan|حسن
Imran|عمران
Kamran|کامران
Faisal|فیصل
Zeeshan|ذیشان
Asif|آصف
Tariq|طارق
Naveed|نوید
Shahid|شاہد
Waqas|وقاص
Adnan|عدنان
Arslan|ارسلان
Danish|دانش
Fahad|فہد
Haider|حیدر
Irfan|عرفان
Junaid|جنید
Kashif|کاشف
Luqman|لقمان
Mohsin|محسن
Nadeem|ندیم
Omer|عمر
Qasim|قاسم
Rizwan|رضوان
Sajid|ساجد
Salman|سلمان
Shoaib|شعیب
Tahir|طاہر
Umair|عمیر
Waseem|وسیم
Yasir|یاسر
Zubair|زبیر
Aamir|عامر
Babar|بابر
Ghulam|غلام
Javed|جاوید
Khurram|خرم
Mudassar|مدثر
Nasir|ناصر
Raheel|راحیل
Sohail|سہیل
""")
PAKISTANI_F = pairs("""
Ayesha|عائشہ
Fatima|فاطمہ
Zainab|زینب
Maryam|مریم
Sana|ثنا
Hina|حنا
Amna|آمنہ
Sadia|سعدیہ
Nazia|نازیہ
Rabia|رابعہ
Saima|صائمہ
Shazia|شازیہ
Uzma|عظمیٰ
Bushra|بشریٰ
Farah|فرح
Iqra|اقراء
Kiran|کرن
Mehwish|مہوش
Nimra|نمرہ
Samina|ثمینہ
Tahira|طاہرہ
Asma|اسماء
Huma|ہما
Noreen|نورین
Rukhsana|رخسانہ
Sobia|صوبیہ
Yasmin|یاسمین
Zara|زارا
Anam|انعم
Mahnoor|ماہ نور
""")

# ---- Bangladeshi (Latin, as Bangladeshi passports write them) ----------------

BANGLADESHI_SUR = latin("""
Hossain Rahman Islam Ahmed Uddin Alam Chowdhury Khan Miah Sarkar Talukder
Mollah Sheikh Haque Hasan Karim Mahmud Mondal Paul Das Roy Biswas Saha Sikder
Bhuiyan Mridha Howlader Munshi Patwary Majumder Khandaker Siddique Ali Kabir
Hoque Bepari Gazi Matubbar Molla Pramanik Sardar Shikder Mia Babu Barua
Chakraborty Dey Ghosh Nath Sen Shil Akand Fakir Khalifa Laskar Pathan Rashid
Shah Zaman Jahan Akter Begum
""")
BANGLADESHI_M = latin("""
Mohammad Md. Abdul Rahim Karim Jamal Kamal Rafiq Shafiq Habib Masud Mizanur
Mahbubur Anisur Shahidul Rafiqul Aminul Nazrul Saiful Shariful Jahangir
Alamgir Delwar Faruk Harun Imran Jashim Kawsar Liton Manik Nasir Obaidul Parvez
Rubel Sohel Tanvir Wahid Zakir Arif Biplob Emon Hridoy Jewel Milon Rakib
Shakil Sumon Rasel
""")
BANGLADESHI_F = latin("""
Fatema Ayesha Nasrin Shahnaz Rokeya Salma Nazma Rina Mitu Sumaiya Tania
Farzana Sharmin Shirin Roksana Jesmin Kulsum Moriom Poly Shathi Sonia Taslima
Rehana Lovely Moushumi Nusrat Rumana Sabina Tahmina Yasmin
""")

# ---- Moroccan (Arabic; Latin as Moroccan documents write it) -----------------

MOROCCAN_SUR = pairs("""
El_Amrani|العمراني
Benali|بنعلي
Bennani|بناني
El_Idrissi|الإدريسي
Alaoui|العلوي
Tazi|التازي
Berrada|برادة
Chraibi|الشرايبي
El_Fassi|الفاسي
Benjelloun|بنجلون
Lahlou|لحلو
Sefrioui|الصفريوي
Kettani|الكتاني
Bouzidi|البوزيدي
Ouazzani|الوزاني
Benkirane|بنكيران
Hajji|الحاجي
Naciri|الناصري
Mansouri|المنصوري
Ziani|الزياني
Belhaj|بلحاج
Bouazza|بوعزة
Ait_Ali|آيت علي
Ait_Ahmed|آيت أحمد
Haddad|حداد
El_Khattabi|الخطابي
Boukhari|البخاري
Jabri|الجابري
Rifi|الريفي
Saidi|السعيدي
Tahiri|الطاهري
Zerouali|الزروالي
Ouahbi|الوهبي
Bakkali|البقالي
Chakir|شاكر
Dahmani|الدحماني
Ennaji|الناجي
Fikri|فكري
Ghazi|غازي
Hamdaoui|الحمداوي
Lamrani|لمراني
Mekouar|مكوار
Moussaoui|الموساوي
Nejjar|النجار
Ouardi|الوردي
Rachidi|الرشيدي
Sabri|صبري
Slaoui|السلاوي
Tounsi|التونسي
Yacoubi|اليعقوبي
Zaki|زكي
Azzouzi|العزوزي
Bouchikhi|البوشيخي
Cherkaoui|الشرقاوي
Daoudi|الداودي
El_Hassani|الحسني
Filali|الفيلالي
Guerrouj|الكروج
Karimi|الكريمي
Lahrichi|الحريشي
Marzouki|المرزوقي
Skalli|السقلي
Zniber|زنيبر
""")
MOROCCAN_M = pairs("""
Mohamed|محمد
Ahmed|أحمد
Youssef|يوسف
Hamza|حمزة
Mehdi|مهدي
Omar|عمر
Ayoub|أيوب
Karim|كريم
Hicham|هشام
Rachid|رشيد
Said|سعيد
Mustapha|مصطفى
Abdelaziz|عبد العزيز
Abdellah|عبد الله
Abdelkader|عبد القادر
Adil|عادل
Anas|أنس
Amine|أمين
Bilal|بلال
Driss|إدريس
Hassan|حسن
Hamid|حميد
Ilyas|إلياس
Ismail|إسماعيل
Jamal|جمال
Khalid|خالد
Mourad|مراد
Nabil|نبيل
Noureddine|نور الدين
Othmane|عثمان
Redouane|رضوان
Saad|سعد
Soufiane|سفيان
Tarik|طارق
Yassine|ياسين
Zakaria|زكرياء
Badr|بدر
Brahim|إبراهيم
Jawad|جواد
Lahcen|لحسن
Mohcine|محسن
Taha|طه
Walid|وليد
""")
MOROCCAN_F = pairs("""
Fatima|فاطمة
Khadija|خديجة
Aicha|عائشة
Meryem|مريم
Salma|سلمى
Nadia|نادية
Samira|سميرة
Hanane|حنان
Imane|إيمان
Zineb|زينب
Naima|نعيمة
Latifa|لطيفة
Rachida|رشيدة
Malika|مليكة
Houda|هدى
Kawtar|كوثر
Siham|سهام
Sanaa|سناء
Hajar|هاجر
Loubna|لبنى
Nawal|نوال
Ouiam|وئام
Soukaina|سكينة
Wafae|وفاء
Yasmine|ياسمين
Amal|أمل
Asmae|أسماء
Btissam|ابتسام
Ghizlane|غزلان
Hind|هند
""")

GROUPS = [
    ("serbian", SERBIAN_SUR, SERBIAN_M, SERBIAN_F),
    ("albanian", ALBANIAN_SUR, ALBANIAN_M, ALBANIAN_F),
    ("bosnian", BOSNIAN_SUR, BOSNIAN_M, BOSNIAN_F),
    ("macedonian", MACEDONIAN_SUR, MACEDONIAN_M, MACEDONIAN_F),
    ("montenegrin", MONTENEGRIN_SUR, MONTENEGRIN_M, MONTENEGRIN_F),
    ("afghan", AFGHAN_SUR, AFGHAN_M, AFGHAN_F),
    ("pakistani", PAKISTANI_SUR, PAKISTANI_M, PAKISTANI_F),
    ("bangladeshi", BANGLADESHI_SUR, BANGLADESHI_M, BANGLADESHI_F),
    ("moroccan", MOROCCAN_SUR, MOROCCAN_M, MOROCCAN_F),
]


def c_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def emit(out, name, items):
    out.append("static const struct gen_name %s[] = {" % name)
    for lat, nat in items:
        out.append("\t{%s, %s}," % (c_str(lat), c_str(nat)))
    out.append("};")


def main():
    out = [
        "/* names.h - the naming pools of bench/gen.c.",
        " * GENERATED by bench/gen-names.py; edit that, then run",
        " *   python3 bench/gen-names.py > bench/names.h",
        " * Each name: its Latin form (as typed, as in the visual zone) and",
        " * its original (Cyrillic, Perso-Arabic, Urdu, Arabic or Latin). */",
        "#ifndef RCMS_BENCH_NAMES_H",
        "#define RCMS_BENCH_NAMES_H",
        "",
        "#include <stddef.h>",
        "",
        "struct gen_name {",
        "\tconst char *latin;",
        "\tconst char *native;",
        "};",
        "",
        "struct gen_pool {",
        "\tconst char *group;",
        "\tconst struct gen_name *surnames;",
        "\tsize_t nsurnames;",
        "\tconst struct gen_name *male;",
        "\tsize_t nmale;",
        "\tconst struct gen_name *female;",
        "\tsize_t nfemale;",
        "};",
        "",
    ]
    for g, sur, m, f in GROUPS:
        for what, items in (("surnames", sur), ("male", m), ("female", f)):
            seen = set()
            for lat, nat in items:
                if lat in seen:
                    raise SystemExit("%s %s: %s twice" % (g, what, lat))
                seen.add(lat)
        if len(sur) < 60 or len(m) + len(f) < 60:
            raise SystemExit("%s: %d surnames, %d given names; want 60 each"
                             % (g, len(sur), len(m) + len(f)))
        emit(out, "names_%s_sur" % g, sur)
        emit(out, "names_%s_m" % g, m)
        emit(out, "names_%s_f" % g, f)
        out.append("")
    out.append("#define GEN_N(a) (sizeof(a) / sizeof((a)[0]))")
    out.append("")
    out.append("/* In the order of enum gen_group in gen.c. */")
    out.append("static const struct gen_pool gen_pools[] = {")
    for g, _, _, _ in GROUPS:
        out.append("\t{%s, names_%s_sur, GEN_N(names_%s_sur), names_%s_m,"
                   " GEN_N(names_%s_m), names_%s_f, GEN_N(names_%s_f)},"
                   % (c_str(g), g, g, g, g, g, g))
    out.append("};")
    out.append("")
    out.append("#endif")
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
